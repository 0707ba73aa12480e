import type {
  WarrantyExpiredEvent,
  WarrantyExpiringEvent,
  WarrantyExtendedEvent,
  WarrantyRegisteredEvent,
} from '@rp/contracts';
import type { IngestEvent } from './ingest-event';
import type { Group } from './groups';
import { cols, iso, type Row } from './sql';

export type WarrantyEvent =
  WarrantyRegisteredEvent | WarrantyExtendedEvent | WarrantyExpiringEvent | WarrantyExpiredEvent;

export const WARRANTY_COLS = cols(`dealer_id, serial_number, contract_id, coverage, updated_at timestamptz,
  event_id, customer_id, branch_id, customer_set_at timestamptz, customer_event_id, starts_at timestamptz,
  starts_set_at timestamptz, starts_event_id, ends_at timestamptz, ends_set_at timestamptz, ends_event_id,
  hours_limit numeric, hours_limit_set_at timestamptz, hours_limit_event_id, amount numeric, currency,
  price_set_at timestamptz, price_event_id, expired_at timestamptz, expired_set_at timestamptz,
  expired_event_id, expiring_notice_at timestamptz`);

/**
 * Each fact follows the newest event (event time, then id) that carries it, whatever the batches: the kind
 * of cover every event (so `updated_at`/`event_id` are the newest event); the holder only deliveries; the
 * end date deliveries, covers and expiry notices; a limit or a price only the events that name one (an
 * amount comes with its currency). The first expiry notice's time stays outside the groups (earliest wins).
 */
export const WARRANTY_GROUPS: readonly Group[] = [
  { at: 'updated_at', id: 'event_id', cols: ['coverage'] },
  { at: 'customer_set_at', id: 'customer_event_id', cols: ['customer_id', 'branch_id'] },
  { at: 'starts_set_at', id: 'starts_event_id', cols: ['starts_at'] },
  { at: 'ends_set_at', id: 'ends_event_id', cols: ['ends_at'] },
  { at: 'hours_limit_set_at', id: 'hours_limit_event_id', cols: ['hours_limit'] },
  { at: 'price_set_at', id: 'price_event_id', cols: ['amount', 'currency'] },
  { at: 'expired_set_at', id: 'expired_event_id', cols: ['expired_at'] },
];

const STANDARD = 'standard';

/** The group's values and stamp when the event carries it, else nulls (the row leaves the group as it is). */
const group = (carried: boolean, values: unknown[], at: string | null, id: string): Row =>
  carried ? [...values, at, id] : [...values.map(() => null), null, null];

/** One `warranties` row (WARRANTY_COLS order) of a warranty event. */
export function warrantyRow(e: IngestEvent<WarrantyEvent>): Row {
  const { dealerId, eventId: id } = e.event;
  const at = iso(e.occurredAtMs);
  const ev = e.event;
  const registered = ev.type === 'warranty.registered' ? ev.data : undefined;
  const extended = ev.type === 'warranty.extended' ? ev.data : undefined;
  const cover = registered ?? extended;
  const expired = ev.type === 'warranty.expired' ? ev.data : undefined;
  const ends = cover?.endsAt ?? (ev.type === 'warranty.expiring' ? ev.data.endsAt : undefined);
  const contract = extended
    ? extended.contractId
    : expired && expired.coverage !== STANDARD
      ? `${expired.coverage}:expired`
      : STANDARD;
  const price = [extended?.amount, extended?.currency];
  return [
    dealerId,
    ev.data.serialNumber,
    contract,
    extended?.kind ?? expired?.coverage ?? STANDARD,
    at,
    id,
    ...group(registered !== undefined, [registered?.customerId, registered?.branchId], at, id),
    ...group(cover !== undefined, [cover?.startsAt], at, id),
    ...group(ends !== undefined, [ends], at, id),
    ...group(cover?.hoursLimit !== undefined, [cover?.hoursLimit], at, id),
    ...group(
      price.some((v) => v !== undefined),
      price,
      at,
      id,
    ),
    ...group(expired !== undefined, [expired?.endedAt], at, id),
    ev.type === 'warranty.expiring' ? at : null,
  ];
}
