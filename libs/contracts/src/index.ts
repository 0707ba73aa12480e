export { RejectionCode, REJECTION_CODES, type Rejection } from './rejection';
export {
  TOPIC_KINDS,
  TELEMATICS_EVENT_TYPES,
  WARRANTY_EVENT_TYPES,
  SERVICE_EVENT_TYPES,
  EVENT_TYPES_BY_TOPIC,
  EVENT_TYPES,
  SUPPORTED_SCHEMA_VERSION,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_FUTURE_SKEW_MS,
  isEventType,
  topicKindOf,
  type TopicKind,
  type EventType,
  type TelematicsEventType,
  type WarrantyEventType,
  type ServiceEventType,
  type EventEnvelope,
} from './envelope';
export {
  FAULT_SEVERITIES,
  type FaultSeverity,
  type FaultCode,
  type GeoLocation,
  type TelematicsSnapshotData,
} from './telematics.schema';
export {
  WARRANTY_CONTRACT_KINDS,
  WARRANTY_COVERAGES,
  type WarrantyContractKind,
  type WarrantyCoverage,
  type WarrantyRegisteredData,
  type WarrantyExtendedData,
  type WarrantyExpiringData,
  type WarrantyExpiredData,
  type OwnershipTransferredData,
} from './warranty.schema';
export {
  WORK_ORDER_KINDS,
  PARTS_CATEGORIES,
  COMPLAINT_SEVERITIES,
  type WorkOrderKind,
  type PartsCategory,
  type ComplaintSeverity,
  type CustomerUpsertedData,
  type WorkOrderOpenedData,
  type WorkOrderClosedData,
  type PartsSoldData,
  type ComplaintOpenedData,
  type ComplaintResolvedData,
  type SurveyRespondedData,
} from './service.schema';
export type {
  EventDataMap,
  EventOf,
  ContractEvent,
  TelematicsSnapshotEvent,
  WarrantyRegisteredEvent,
  WarrantyExtendedEvent,
  WarrantyExpiringEvent,
  WarrantyExpiredEvent,
  OwnershipTransferredEvent,
  CustomerUpsertedEvent,
  WorkOrderOpenedEvent,
  WorkOrderClosedEvent,
  PartsSoldEvent,
  ComplaintOpenedEvent,
  ComplaintResolvedEvent,
  SurveyRespondedEvent,
} from './events';
export { parseEvent, type ParseEventOptions, type ParseEventResult, type ParsedEvent } from './parse-event';
export { kafkaKeyFor } from './kafka-key';
export { isoDateOf, isoInstantOf, parseRfc3339, parseDateOrRfc3339 } from './timestamp';
