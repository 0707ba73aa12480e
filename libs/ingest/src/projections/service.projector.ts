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
import { collapse, cols, iso, unnestInsert, type Executor, type Row } from './sql';

const key3 = (r: Row) => `${String(r[0])}\u0000${String(r[1])}`;
const lastWins = (_: Row, next: Row) => next;
/** Merge for rows built from two event kinds (opened/closed): later values win, gaps keep earlier ones. */
const fillGaps = (acc: Row, next: Row) => next.map((v, i) => v ?? acc[i]);

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
}

async function workOrders(
  db: Executor,
  events: IngestEvent<WorkOrderOpenedEvent | WorkOrderClosedEvent>[],
): Promise<void> {
  const rows = events.map(({ event, occurredAtMs }): Row => {
    const at = iso(occurredAtMs);
    const d = event.data;
    const common = [event.dealerId, d.workOrderId, d.customerId, d.branchId, d.serialNumber, d.kind];
    if (event.type === 'work-order.opened') {
      return [
        ...common,
        at,
        event.data.hoursAtOpen,
        event.eventId,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        at,
      ];
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
      event.eventId,
      at,
    ];
  });
  const keep = (c: string) => `${c} = COALESCE(EXCLUDED.${c}, work_orders.${c})`;
  await unnestInsert(
    db,
    'work_orders',
    cols(`dealer_id, work_order_id, customer_id, branch_id, serial_number, kind, opened_at timestamptz,
      hours_at_open numeric, opened_event_id, closed_at timestamptz, labor_amount numeric, parts_amount numeric,
      currency, gross_profit numeric, hours_at_service numeric, downtime_hours numeric, closed_event_id, updated_at timestamptz`),
    collapse(rows, key3, fillGaps),
    `ON CONFLICT (dealer_id, work_order_id) DO UPDATE SET
      customer_id = CASE WHEN EXCLUDED.updated_at >= work_orders.updated_at THEN EXCLUDED.customer_id ELSE work_orders.customer_id END,
      branch_id = CASE WHEN EXCLUDED.updated_at >= work_orders.updated_at THEN EXCLUDED.branch_id ELSE work_orders.branch_id END,
      serial_number = COALESCE(CASE WHEN EXCLUDED.updated_at >= work_orders.updated_at THEN EXCLUDED.serial_number END, work_orders.serial_number),
      kind = CASE WHEN EXCLUDED.updated_at >= work_orders.updated_at THEN EXCLUDED.kind ELSE work_orders.kind END,
      ${['opened_at', 'hours_at_open', 'opened_event_id', 'closed_at', 'labor_amount', 'parts_amount', 'currency', 'gross_profit', 'hours_at_service', 'downtime_hours', 'closed_event_id'].map(keep).join(', ')},
      updated_at = GREATEST(work_orders.updated_at, EXCLUDED.updated_at)`,
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

async function complaints(
  db: Executor,
  events: IngestEvent<ComplaintOpenedEvent | ComplaintResolvedEvent>[],
): Promise<void> {
  const rows = events.map(({ event, occurredAtMs }): Row => {
    const at = iso(occurredAtMs);
    if (event.type === 'complaint.opened') {
      const d = event.data;
      return [
        event.dealerId,
        d.complaintId,
        d.customerId,
        d.serialNumber,
        d.category,
        d.severity,
        at,
        event.eventId,
        null,
        null,
      ];
    }
    return [
      event.dealerId,
      event.data.complaintId,
      event.data.customerId,
      null,
      null,
      null,
      null,
      null,
      at,
      event.eventId,
    ];
  });
  const keep = (c: string) => `${c} = COALESCE(EXCLUDED.${c}, complaints.${c})`;
  await unnestInsert(
    db,
    'complaints',
    cols(`dealer_id, complaint_id, customer_id, serial_number, category, severity, opened_at timestamptz,
      opened_event_id, resolved_at timestamptz, resolved_event_id`),
    collapse(rows, key3, fillGaps),
    `ON CONFLICT (dealer_id, complaint_id) DO UPDATE SET
      ${['serial_number', 'category', 'severity', 'opened_at', 'opened_event_id', 'resolved_at', 'resolved_event_id'].map(keep).join(', ')}`,
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
