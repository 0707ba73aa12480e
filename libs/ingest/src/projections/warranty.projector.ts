import type {
  OwnershipTransferredEvent,
  WarrantyExpiredEvent,
  WarrantyExpiringEvent,
  WarrantyExtendedEvent,
  WarrantyRegisteredEvent,
} from '@rp/contracts';
import { byEventTime, newer, ofType, type IngestEvent } from './ingest-event';
import { mergeGroups, setGroups } from './groups';
import { MACHINE_BRANCH_GROUP, MACHINE_NAME_GROUPS, MACHINE_OWNER_GROUP } from './machine-groups';
import { collapse, cols, iso, unnestInsert, type Executor, type Row } from './sql';

const WARRANTY_COLS = cols(`dealer_id, serial_number, contract_id, coverage, customer_id, branch_id,
  starts_at timestamptz, ends_at timestamptz, hours_limit numeric, amount numeric, currency,
  expiring_notice_at timestamptz, expired_at timestamptz, updated_at timestamptz, event_id`);
const STANDARD = 'standard';

type WarrantyEvent =
  WarrantyRegisteredEvent | WarrantyExtendedEvent | WarrantyExpiringEvent | WarrantyExpiredEvent;

function warrantyRow(e: IngestEvent<WarrantyEvent>): Row {
  const { dealerId, eventId } = e.event;
  const at = iso(e.occurredAtMs);
  const base = (contract: string, coverage: string): Row => [
    dealerId,
    e.event.data.serialNumber,
    contract,
    coverage,
  ];
  switch (e.event.type) {
    case 'warranty.registered': {
      const d = e.event.data;
      return [
        ...base(STANDARD, STANDARD),
        d.customerId,
        d.branchId,
        d.startsAt,
        d.endsAt,
        d.hoursLimit,
        null,
        null,
        null,
        null,
        at,
        eventId,
      ];
    }
    case 'warranty.extended': {
      const d = e.event.data;
      return [
        ...base(d.contractId, d.kind),
        null,
        null,
        d.startsAt,
        d.endsAt,
        d.hoursLimit,
        d.amount,
        d.currency,
        null,
        null,
        at,
        eventId,
      ];
    }
    case 'warranty.expiring':
      return [
        ...base(STANDARD, STANDARD),
        null,
        null,
        null,
        e.event.data.endsAt,
        null,
        null,
        null,
        at,
        null,
        at,
        eventId,
      ];
    case 'warranty.expired': {
      const d = e.event.data;
      const contract = d.coverage === STANDARD ? STANDARD : `${d.coverage}:expired`;
      return [
        ...base(contract, d.coverage),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        d.endedAt,
        at,
        eventId,
      ];
    }
  }
}

// Facts (dates, limits, amounts) come from the newest event that carries them; notices keep their first time.
const fact = (c: string) =>
  `${c} = CASE WHEN EXCLUDED.${c} IS NOT NULL AND (${newer('warranties', 'updated_at', 'event_id')} OR warranties.${c} IS NULL) THEN EXCLUDED.${c} ELSE warranties.${c} END`;

/** Standard warranty, extended covers and contracts, expiry notices, and ownership transfers. */
export async function projectWarranty(db: Executor, events: IngestEvent[]): Promise<void> {
  const sorted = [...events].sort(byEventTime);
  // Machines before warranties, as in a transaction whose snapshots locked the machines already: every
  // transaction takes the two tables in one order, so two of them never hold one each and wait for the other.
  await projectOwnership(db, ofType(sorted, 'warranty.registered'), ofType(sorted, 'ownership.transferred'));
  const warranty = ofType(
    sorted,
    'warranty.registered',
    'warranty.extended',
    'warranty.expiring',
    'warranty.expired',
  );
  const rows = collapse(
    warranty.map(warrantyRow),
    (r) => `${String(r[0])}\u0000${String(r[1])}\u0000${String(r[2])}`,
    (acc, next) => next.map((v, i) => (i === 11 ? (acc[i] ?? v) : (v ?? acc[i]))), // 11 = expiring_notice_at
  );
  await unnestInsert(
    db,
    'warranties',
    WARRANTY_COLS,
    rows,
    `ON CONFLICT (dealer_id, serial_number, contract_id) DO UPDATE SET
      ${['customer_id', 'branch_id', 'starts_at', 'ends_at', 'hours_limit', 'amount', 'currency', 'expired_at'].map(fact).join(',\n      ')},
      expiring_notice_at = LEAST(warranties.expiring_notice_at, EXCLUDED.expiring_notice_at),
      event_id = CASE WHEN ${newer('warranties', 'updated_at', 'event_id')} THEN EXCLUDED.event_id ELSE warranties.event_id END,
      updated_at = GREATEST(warranties.updated_at, EXCLUDED.updated_at)`,
  );
}

const MACHINE_OWNER_COLS =
  cols(`dealer_id, serial_number, customer_id, owner_since timestamptz, owner_event_id,
  branch_id, branch_at timestamptz, branch_event_id, oem_name, oem_name_at timestamptz, oem_name_event_id, model,
  model_at timestamptz, model_event_id, delivered_at timestamptz, sold_at timestamptz`);
const OWNER_GROUPS = [MACHINE_OWNER_GROUP, MACHINE_BRANCH_GROUP, ...MACHINE_NAME_GROUPS];
const DELIVERED_AT = MACHINE_OWNER_COLS.findIndex((c) => c.name === 'delivered_at');
const SOLD_AT = MACHINE_OWNER_COLS.findIndex((c) => c.name === 'sold_at');
const mergeOwners = mergeGroups(MACHINE_OWNER_COLS, OWNER_GROUPS);

/** The value and its stamp when present, else three nulls (the row does not carry that group). */
const stamped = (value: string | undefined, at: string | null, id: string): Row =>
  value === undefined ? [null, null, null] : [value, at, id];

/**
 * Machine owner, branch, make and model follow the newest delivery or transfer (in event time) that carries
 * them; delivered at the first delivery, sold at the last transfer.
 */
async function projectOwnership(
  db: Executor,
  registered: IngestEvent<WarrantyRegisteredEvent>[],
  transfers: IngestEvent<OwnershipTransferredEvent>[],
): Promise<void> {
  await unnestInsert(
    db,
    'ownership_history',
    cols(
      'dealer_id, event_id, serial_number, from_customer_id, to_customer_id, branch_id, transferred_at timestamptz',
    ),
    transfers.map(({ event: { dealerId, eventId, data: d }, occurredAtMs }) => [
      dealerId,
      eventId,
      d.serialNumber,
      d.fromCustomerId,
      d.toCustomerId,
      d.branchId,
      iso(occurredAtMs),
    ]),
    'ON CONFLICT DO NOTHING',
  );
  // One list in event-time order (both inputs are already sorted by byEventTime).
  const events = [...registered, ...transfers].sort(byEventTime) as IngestEvent<
    WarrantyRegisteredEvent | OwnershipTransferredEvent
  >[];
  const owners = events.map(({ event, occurredAtMs }): Row => {
    const at = iso(occurredAtMs);
    const id = event.eventId;
    const d = event.data;
    const delivery = event.type === 'warranty.registered' ? event.data : undefined;
    return [
      event.dealerId,
      d.serialNumber,
      delivery ? delivery.customerId : (d as OwnershipTransferredEvent['data']).toCustomerId,
      at,
      id,
      ...stamped(d.branchId, at, id),
      ...stamped(delivery?.oemName, at, id),
      ...stamped(delivery?.model, at, id),
      delivery ? at : null,
      delivery ? null : at,
    ];
  });
  const rows = collapse(
    owners,
    (r) => `${String(r[0])}\u0000${String(r[1])}`,
    (acc, next) => {
      const out = mergeOwners(acc, next);
      out[DELIVERED_AT] = acc[DELIVERED_AT] ?? next[DELIVERED_AT];
      out[SOLD_AT] = next[SOLD_AT] ?? acc[SOLD_AT];
      return out;
    },
  );
  await unnestInsert(
    db,
    'machines',
    MACHINE_OWNER_COLS,
    rows,
    `ON CONFLICT (dealer_id, serial_number) DO UPDATE SET
      ${setGroups('machines', OWNER_GROUPS)},
      delivered_at = LEAST(machines.delivered_at, EXCLUDED.delivered_at),
      sold_at = GREATEST(machines.sold_at, EXCLUDED.sold_at)`,
  );
}
