import type {
  ComplaintOpenedEvent,
  ComplaintResolvedEvent,
  CustomerUpsertedEvent,
  PartsSoldEvent,
  SurveyRespondedEvent,
  WorkOrderClosedEvent,
  WorkOrderOpenedEvent,
} from '@rp/contracts';
import { byEventTime, newer, ofType, type IngestEvent } from './ingest-event';
import { mergeGroups, setGroups, type Group } from './groups';
import { collapse, cols, iso, unnestInsert, type Executor, type Row } from './sql';

const key3 = (r: Row) => `${String(r[0])}\u0000${String(r[1])}`;
const lastWins = (_: Row, next: Row) => next;

/** Customers, work orders, parts sales, complaints and surveys. */
export async function projectService(db: Executor, events: IngestEvent[]): Promise<void> {
  const sorted = [...events].sort(byEventTime);
  await customers(db, ofType(sorted, 'customer.upserted'));
  await workOrders(db, ofType(sorted, 'work-order.opened', 'work-order.closed'));
  await partsSales(db, ofType(sorted, 'parts.sold'));
  await complaints(db, ofType(sorted, 'complaint.opened', 'complaint.resolved'));
  await surveys(db, ofType(sorted, 'survey.responded'));
}

async function customers(db: Executor, events: IngestEvent<CustomerUpsertedEvent>[]): Promise<void> {
  const rows = events.map(({ event: { dealerId, eventId, data: d }, occurredAtMs }): Row => [
    dealerId,
    d.customerId,
    d.name,
    d.branchId,
    d.phone,
    d.email,
    iso(occurredAtMs),
    eventId,
  ]);
  await unnestInsert(
    db,
    'customers',
    cols('dealer_id, customer_id, name, branch_id, phone, email, updated_at timestamptz, event_id'),
    collapse(rows, key3, lastWins),
    `ON CONFLICT (dealer_id, customer_id) DO UPDATE SET
      name = EXCLUDED.name, branch_id = EXCLUDED.branch_id, phone = EXCLUDED.phone, email = EXCLUDED.email,
      updated_at = EXCLUDED.updated_at, event_id = EXCLUDED.event_id
     WHERE ${newer('customers', 'updated_at', 'event_id')}`,
  );
  await routeUnroutedTasks(db, rows);
}

/**
 * Tasks follow their customer's branch (PRODUCT: routed to the customer's branch): when the master data names
 * a branch, these customers' open and holdout tasks move to it, and so do claimed tasks that were unrouted
 * (branch_id '', seen only by dealer admins); a claimed task that had a branch stays with its assignee. One
 * statement per batch; done tasks keep the branch they were worked in.
 */
async function routeUnroutedTasks(db: Executor, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const keys = collapse(rows, key3, lastWins);
  await db.query(
    `UPDATE tasks t SET branch_id = c.branch_id, updated_at = now()
       FROM unnest($1::text[], $2::text[]) AS k(dealer_id, customer_id)
       JOIN customers c ON c.dealer_id = k.dealer_id AND c.customer_id = k.customer_id
      WHERE t.dealer_id = c.dealer_id AND t.customer_id = c.customer_id
        AND c.branch_id <> '' AND t.branch_id <> c.branch_id
        AND (t.status IN ('open', 'holdout') OR (t.status = 'claimed' AND t.branch_id = ''))`,
    [keys.map((r) => r[0]), keys.map((r) => r[1])],
  );
}

const WORK_ORDER_COLS = cols(`dealer_id, work_order_id, customer_id, branch_id, kind,
  updated_at timestamptz, updated_event_id, serial_number, serial_number_at timestamptz, serial_number_event_id,
  opened_at timestamptz, hours_at_open numeric, opened_event_id, closed_at timestamptz, labor_amount numeric,
  parts_amount numeric, currency, gross_profit numeric, hours_at_service numeric, downtime_hours numeric,
  closed_event_id`);
/** Customer, branch and kind follow the newest event; the machine the newest that names one; a re-open or a
 * re-close (corrected amounts) replaces the whole opened or closed part when it is newer in event time. */
const WORK_ORDER_GROUPS: Group[] = [
  { at: 'updated_at', id: 'updated_event_id', cols: ['customer_id', 'branch_id', 'kind'] },
  { at: 'serial_number_at', id: 'serial_number_event_id', cols: ['serial_number'] },
  { at: 'opened_at', id: 'opened_event_id', cols: ['hours_at_open'] },
  {
    at: 'closed_at',
    id: 'closed_event_id',
    cols: ['labor_amount', 'parts_amount', 'currency', 'gross_profit', 'hours_at_service', 'downtime_hours'],
  },
];

async function workOrders(
  db: Executor,
  events: IngestEvent<WorkOrderOpenedEvent | WorkOrderClosedEvent>[],
): Promise<void> {
  const rows = events.map(({ event, occurredAtMs }): Row => {
    const at = iso(occurredAtMs);
    const d = event.data;
    const id = event.eventId;
    const serial = d.serialNumber === undefined ? [null, null, null] : [d.serialNumber, at, id];
    const common = [event.dealerId, d.workOrderId, d.customerId, d.branchId, d.kind, at, id, ...serial];
    if (event.type === 'work-order.opened') {
      return [...common, at, event.data.hoursAtOpen, id, null, null, null, null, null, null, null, null];
    }
    const c = event.data;
    return [
      ...common,
      null,
      null,
      null,
      at,
      c.laborAmount,
      c.partsAmount,
      c.currency,
      c.grossProfit,
      c.hoursAtService,
      c.downtimeHours,
      id,
    ];
  });
  await unnestInsert(
    db,
    'work_orders',
    WORK_ORDER_COLS,
    collapse(rows, key3, mergeGroups(WORK_ORDER_COLS, WORK_ORDER_GROUPS)),
    `ON CONFLICT (dealer_id, work_order_id) DO UPDATE SET
      ${setGroups('work_orders', WORK_ORDER_GROUPS)}`,
  );
}

async function partsSales(db: Executor, events: IngestEvent<PartsSoldEvent>[]): Promise<void> {
  const rows = events.map(({ event: { dealerId, eventId, data: d }, occurredAtMs }): Row => [
    dealerId,
    d.invoiceId,
    d.customerId,
    d.branchId,
    d.serialNumber,
    d.amount,
    d.currency,
    d.grossProfit,
    d.category,
    iso(occurredAtMs),
    eventId,
  ]);
  await unnestInsert(
    db,
    'parts_sales',
    cols(`dealer_id, invoice_id, customer_id, branch_id, serial_number, amount numeric, currency, gross_profit numeric,
      category, sold_at timestamptz, event_id`),
    collapse(rows, key3, lastWins),
    `ON CONFLICT (dealer_id, invoice_id) DO UPDATE SET
      customer_id = EXCLUDED.customer_id, branch_id = EXCLUDED.branch_id, serial_number = EXCLUDED.serial_number,
      amount = EXCLUDED.amount, currency = EXCLUDED.currency, gross_profit = EXCLUDED.gross_profit,
      category = EXCLUDED.category, sold_at = EXCLUDED.sold_at, event_id = EXCLUDED.event_id
     WHERE ${newer('parts_sales', 'sold_at', 'event_id')}`,
  );
}

const COMPLAINT_COLS = cols(`dealer_id, complaint_id, customer_id, updated_at timestamptz, updated_event_id,
  serial_number, category, severity, opened_at timestamptz, opened_event_id, resolved_at timestamptz,
  resolved_event_id`);
/** The customer follows the newest event; a newer `complaint.opened` (a correction) replaces what it says. */
const COMPLAINT_GROUPS: Group[] = [
  { at: 'updated_at', id: 'updated_event_id', cols: ['customer_id'] },
  { at: 'opened_at', id: 'opened_event_id', cols: ['serial_number', 'category', 'severity'] },
  { at: 'resolved_at', id: 'resolved_event_id', cols: [] },
];

async function complaints(
  db: Executor,
  events: IngestEvent<ComplaintOpenedEvent | ComplaintResolvedEvent>[],
): Promise<void> {
  const rows = events.map(({ event, occurredAtMs }): Row => {
    const at = iso(occurredAtMs);
    const common = [event.dealerId, event.data.complaintId, event.data.customerId, at, event.eventId];
    if (event.type === 'complaint.opened') {
      const d = event.data;
      return [...common, d.serialNumber, d.category, d.severity, at, event.eventId, null, null];
    }
    return [...common, null, null, null, null, null, at, event.eventId];
  });
  await unnestInsert(
    db,
    'complaints',
    COMPLAINT_COLS,
    collapse(rows, key3, mergeGroups(COMPLAINT_COLS, COMPLAINT_GROUPS)),
    `ON CONFLICT (dealer_id, complaint_id) DO UPDATE SET
      ${setGroups('complaints', COMPLAINT_GROUPS)}`,
  );
}

async function surveys(db: Executor, events: IngestEvent<SurveyRespondedEvent>[]): Promise<void> {
  const rows = events.map(({ event: { dealerId, eventId, data: d }, occurredAtMs }): Row => [
    dealerId,
    d.surveyId,
    d.customerId,
    d.serialNumber,
    d.workOrderId,
    d.nps,
    d.ces,
    d.csat,
    d.comment,
    iso(occurredAtMs),
    eventId,
  ]);
  await unnestInsert(
    db,
    'surveys',
    cols(`dealer_id, survey_id, customer_id, serial_number, work_order_id, nps int, ces int, csat int, comment,
      responded_at timestamptz, event_id`),
    collapse(rows, key3, lastWins),
    `ON CONFLICT (dealer_id, survey_id) DO UPDATE SET
      customer_id = EXCLUDED.customer_id, serial_number = EXCLUDED.serial_number, work_order_id = EXCLUDED.work_order_id,
      nps = EXCLUDED.nps, ces = EXCLUDED.ces, csat = EXCLUDED.csat, comment = EXCLUDED.comment,
      responded_at = EXCLUDED.responded_at, event_id = EXCLUDED.event_id
     WHERE ${newer('surveys', 'responded_at', 'event_id')}`,
  );
}
