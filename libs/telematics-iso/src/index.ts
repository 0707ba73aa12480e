export { parseFleetDocument } from './parse';
export { mapEquipment, serialOf, snapshotEventId, DEFAULT_SOURCE } from './map';
export { mapSeverity } from './severity';
export { IsoParseError } from './errors';
export {
  FAULT_SEVERITIES,
  type FaultSeverity,
  type FaultCode,
  type FleetDocument,
  type MapOptions,
  type MapResult,
  type RawEquipment,
  type RawFault,
  type RawReading,
  type RawScalar,
  type RejectedEquipment,
  type TelematicsSnapshotData,
  type TelematicsSnapshotEvent,
} from './types';
