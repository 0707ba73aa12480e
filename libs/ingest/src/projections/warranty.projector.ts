import type { OwnershipTransferredEvent, WarrantyRegisteredEvent } from '@rp/contracts';
import { byEventTime, ofType, type IngestEvent } from './ingest-event';
import { mergeGroups, setGroups } from './groups';
import { MACHINE_BRANCH_GROUP, MACHINE_NAME_GROUPS, MACHINE_OWNER_GROUP } from './machine-groups';
import { collapse, cols, iso, unnestInsert, type Executor, type Row } from './sql';
import { WARRANTY_COLS, WARRANTY_GROUPS, warrantyRow } from './warranty.rows';

const NOTICE = WARRANTY_COLS.findIndex((c) => c.name === 'expiring_notice_at');
const mergeWarranties = mergeGroups(WARRANTY_COLS, WARRANTY_GROUPS);

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
    (acc, next) => {
      const out = mergeWarranties(acc, next);
      out[NOTICE] = acc[NOTICE] ?? next[NOTICE]; // the first notice
      return out;
    },
  );
  await unnestInsert(
    db,
    'warranties',
    WARRANTY_COLS,
    rows,
    `ON CONFLICT (dealer_id, serial_number, contract_id) DO UPDATE SET
      ${setGroups('warranties', WARRANTY_GROUPS)},
      expiring_notice_at = LEAST(warranties.expiring_notice_at, EXCLUDED.expiring_notice_at)`,
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
