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
export {
  pollFleet,
  runOnSchedule,
  type PollerOptions,
  type FleetPage,
  type PollStop,
  type PollResult,
} from './poller';
export {
  realSleep,
  authorizationHeader,
  retryAfterMs,
  displayUrl,
  IsoFetchError,
  type IsoAuth,
  type FetchLike,
  type ResponseLike,
  type Sleep,
} from './http';
export { type FetchOptions, type RetryInfo } from './fetch-page';
export {
  FleetImport,
  importFleetFiles,
  importFleetEndpoint,
  readFleetFile,
  toTelematicsMessage,
  MAX_EVENT_BYTES,
  type TelematicsMessage,
  type PublishMessages,
  type ImportOptions,
  type ImportedDocument,
  type ImportRejection,
  type ImportConflict,
  type ImportSummary,
} from './import-source';
export { formatImportSummary } from './summary';
export { PublishedSnapshots, type LastPublished } from './published-memory';
export { MAX_DOCUMENT_BYTES } from './limits';
