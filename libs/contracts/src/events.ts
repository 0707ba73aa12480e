import type { z } from 'zod';
import type { EventEnvelope, EventType } from './envelope';
import {
  complaintOpenedData,
  complaintResolvedData,
  customerUpsertedData,
  partsSoldData,
  surveyRespondedData,
  workOrderClosedData,
  workOrderOpenedData,
} from './service.schema';
import { telematicsSnapshotData } from './telematics.schema';
import {
  ownershipTransferredData,
  warrantyExpiredData,
  warrantyExpiringData,
  warrantyExtendedData,
  warrantyRegisteredData,
} from './warranty.schema';

/** The `data` schema of every event type. */
export const EVENT_DATA_SCHEMAS = Object.freeze({
  'telematics.snapshot': telematicsSnapshotData,
  'warranty.registered': warrantyRegisteredData,
  'warranty.extended': warrantyExtendedData,
  'warranty.expiring': warrantyExpiringData,
  'warranty.expired': warrantyExpiredData,
  'ownership.transferred': ownershipTransferredData,
  'customer.upserted': customerUpsertedData,
  'work-order.opened': workOrderOpenedData,
  'work-order.closed': workOrderClosedData,
  'parts.sold': partsSoldData,
  'complaint.opened': complaintOpenedData,
  'complaint.resolved': complaintResolvedData,
  'survey.responded': surveyRespondedData,
} satisfies Record<EventType, z.ZodType>);

export type EventDataMap = { [K in EventType]: z.output<(typeof EVENT_DATA_SCHEMAS)[K]> };

/** The validated event of one type, e.g. `EventOf<'work-order.closed'>`. */
export type EventOf<T extends EventType> = EventEnvelope<T, EventDataMap[T]>;

/** Every valid v1 input event, discriminated on `type`. */
export type ContractEvent = { [K in EventType]: EventOf<K> }[EventType];

export type TelematicsSnapshotEvent = EventOf<'telematics.snapshot'>;
export type WarrantyRegisteredEvent = EventOf<'warranty.registered'>;
export type WarrantyExtendedEvent = EventOf<'warranty.extended'>;
export type WarrantyExpiringEvent = EventOf<'warranty.expiring'>;
export type WarrantyExpiredEvent = EventOf<'warranty.expired'>;
export type OwnershipTransferredEvent = EventOf<'ownership.transferred'>;
export type CustomerUpsertedEvent = EventOf<'customer.upserted'>;
export type WorkOrderOpenedEvent = EventOf<'work-order.opened'>;
export type WorkOrderClosedEvent = EventOf<'work-order.closed'>;
export type PartsSoldEvent = EventOf<'parts.sold'>;
export type ComplaintOpenedEvent = EventOf<'complaint.opened'>;
export type ComplaintResolvedEvent = EventOf<'complaint.resolved'>;
export type SurveyRespondedEvent = EventOf<'survey.responded'>;
