import type {
  Complaint,
  CustomerState,
  FleetHoursDay,
  MachineState,
  Purchase,
  SurveyResponse,
} from '@rp/risk';
import type { ComplaintRow, PartsSaleRow, SurveyRow } from './customer-state.sql';
import type { FleetHoursRow } from './fleet-hours';
import type { WorkOrderRow } from './machine-state.sql';
import { byOpening, hasTime, inWindow, toWorkOrder } from './machine-state.map';
import { byId, byStamp, compact, opt } from './sql-helpers';

export interface CustomerData {
  partsSales: readonly PartsSaleRow[];
  /** The customer's own work orders (any machine, or none). */
  workOrders: readonly WorkOrderRow[];
  complaints: readonly ComplaintRow[];
  surveys: readonly SurveyRow[];
  fleetHours: readonly FleetHoursRow[];
}

/** Parts sales (kind 'parts') and closed work orders invoiced at labour + parts (kind 'service'). */
export function toPurchases(data: CustomerData, sinceMs: number): Purchase[] {
  const parts = data.partsSales
    .filter((p) => p.at >= sinceMs)
    .map((p): Purchase =>
      compact({
        at: p.at,
        eventId: p.event_id,
        amount: Number(p.amount),
        kind: 'parts' as const,
        category: opt(p.category),
        grossProfit: p.gross_profit === null ? undefined : Number(p.gross_profit),
      }),
    );
  const service = data.workOrders
    .filter((w) => w.closed_ms !== null && w.closed_ms >= sinceMs && w.closed_event_id !== null)
    .map((w): Purchase =>
      compact({
        at: w.closed_ms ?? 0,
        eventId: w.closed_event_id ?? '',
        amount: Number(w.service_amount ?? 0),
        kind: 'service' as const,
        grossProfit: w.gross_profit === null ? undefined : Number(w.gross_profit),
        labourAmount: w.labor_amount === null ? undefined : Number(w.labor_amount),
      }),
    );
  return [...parts, ...service].sort(byStamp);
}

const toComplaint = (r: ComplaintRow): Complaint =>
  compact({
    id: r.complaint_id,
    openedAt: r.opened_ms,
    resolvedAt: opt(r.resolved_ms),
    serialNumber: opt(r.serial_number),
    severity: opt(r.severity),
    eventId: r.opened_event_id,
  });

const toSurvey = (r: SurveyRow): SurveyResponse =>
  compact({
    at: r.at,
    eventId: r.event_id,
    id: r.survey_id,
    serialNumber: opt(r.serial_number),
    nps: opt(r.nps),
    ces: opt(r.ces),
    csat: opt(r.csat),
    comment: opt(r.comment),
  });

const branchOfMachines = (machines: readonly MachineState[]): string =>
  (machines.find((m) => m.sold === undefined && m.branchId !== '') ?? machines.find((m) => m.branchId !== ''))
    ?.branchId ?? '';

/**
 * The customer's state. `branchId`: the customer master data's, else that of its first machine (by serial,
 * owned ones before sold ones) that has one, else ''. `pAlive` is left empty (the value lib fills it).
 */
export function toCustomerState(
  dealerId: string,
  customerId: string,
  masterBranch: string | null | undefined,
  machines: readonly MachineState[],
  data: CustomerData,
  sinceMs: number,
): CustomerState {
  const fleetHours: FleetHoursDay[] = data.fleetHours
    .map((d) => ({ at: d.day_ms, hours: Number(d.hours) }))
    .sort((a, b) => a.at - b.at);
  return {
    dealerId,
    customerId,
    branchId: masterBranch ?? branchOfMachines(machines),
    purchases: toPurchases(data, sinceMs),
    complaints: data.complaints
      .filter((c) => c.resolved_ms === null || Math.max(c.opened_ms, c.resolved_ms) >= sinceMs)
      .map(toComplaint)
      .sort((a, b) => a.openedAt - b.openedAt || byId(a.id, b.id)),
    surveys: data.surveys
      .filter((s) => s.at >= sinceMs)
      .map(toSurvey)
      .sort(byStamp),
    pAlive: [],
    fleetHours,
    unattributedWorkOrders: data.workOrders
      .filter((w) => w.serial_number === null && hasTime(w) && inWindow(w, sinceMs))
      .map(toWorkOrder)
      .sort(byOpening),
  };
}
