import { WARRANTY_URGENCY_DAYS } from '@rp/value';

/** A task row as stored, with the customer's name and the machine's make and model (see TASK_VIEW_SQL). */
export interface TaskRow {
  dealer_id: string;
  task_id: string;
  branch_id: string;
  customer_id: string;
  serial_number: string | null;
  family: string;
  reasons: {
    code: string;
    message: string;
    evidenceEventIds: string[];
    ruleVersion: string;
    detectedAt: string;
  }[];
  priority: string;
  value_at_risk: string;
  status: 'open' | 'claimed' | 'done' | 'holdout';
  created_at: Date;
  due_at: Date;
  assignee: string | null;
  outcome: string | null;
  outcome_note: string | null;
  closed_at: Date | null;
  escalated_at: Date | null;
  /** Only in rows read through taskViewSql: */
  customer_name?: string | null;
  machine_known?: boolean;
  machine_oem_name?: string | null;
  machine_model?: string | null;
}

/**
 * The task's priority as the queue shows and orders it as of `asOf`: the stored one (decisions stay in event
 * time), doubled while the warranty end recorded on the task (`warranty_ends_at`, a reason valued at urgency 1)
 * is within WARRANTY_URGENCY_DAYS of `asOf`, as @rp/value's urgency() counts whole days (0..30 → ×2). The same as
 * effectivePriority in @rp/followups. `asOf` is a timestamptz SQL expression written by this library: `now()`,
 * or a bound parameter (`$n::timestamptz`) where one clock must hold across statements (queue paging).
 */
export const effectivePrioritySql = (asOf: string): string => `(CASE WHEN t.warranty_ends_at >= ${asOf}
   AND t.warranty_ends_at < ${asOf} + interval '${WARRANTY_URGENCY_DAYS + 1} days' THEN t.priority * 2 ELSE t.priority END)`;

/** effectivePrioritySql as of the statement's clock (one statement, one instant). */
export const EFFECTIVE_PRIORITY_SQL = effectivePrioritySql('now()');

/** The task's columns, its priority as of `asOf` (see effectivePrioritySql). */
export const taskColumns = (
  asOf: string,
): string => `t.dealer_id, t.task_id, t.branch_id, t.customer_id, t.serial_number, t.family, t.reasons,
  ${effectivePrioritySql(asOf)} AS priority, t.value_at_risk, t.status, t.created_at, t.due_at, t.assignee, t.outcome, t.outcome_note, t.closed_at,
  t.escalated_at`;

export const TASK_COLUMNS = taskColumns('now()');

/**
 * `SELECT` of the task view over `source` (the tasks table, or a CTE of updated task rows), aliased `t`: the
 * task's columns plus the customer's name (master data) and the machine's make and model. Callers append
 * WHERE / ORDER BY on `t`; `source` and `asOf` (the priority's clock, see effectivePrioritySql) are fixed
 * text in this library, never user input.
 */
export const taskViewSql = (source: 'tasks' | 'changed', asOf = 'now()'): string =>
  `SELECT ${taskColumns(asOf)}, c.name AS customer_name, m.serial_number IS NOT NULL AS machine_known,
          m.oem_name AS machine_oem_name, m.model AS machine_model
     FROM ${source} t
     LEFT JOIN customers c ON c.dealer_id = t.dealer_id AND c.customer_id = t.customer_id
     LEFT JOIN machines m ON m.dealer_id = t.dealer_id AND m.serial_number = t.serial_number`;

/**
 * A task as the API shows it (PRODUCT.md "Minimum API"), saying who (the customer's name; never phone or
 * email) and which machine. `currency`: the dealer's configured reporting currency of valueAtRisk, or null.
 */
export function taskView(r: TaskRow, currency: string | null) {
  return {
    id: r.task_id,
    dealerId: r.dealer_id,
    branchId: r.branch_id,
    customerId: r.customer_id,
    /** The customer's name from the master data; null when unknown. */
    customerName: r.customer_name ?? null,
    serialNumber: r.serial_number,
    /** Make and model of the machine; null when the task has no machine or the machine is unknown. */
    machine: r.machine_known ? { oemName: r.machine_oem_name ?? null, model: r.machine_model ?? null } : null,
    family: r.family,
    reasons: r.reasons.map((x) => ({
      code: x.code,
      message: x.message,
      evidenceEventIds: x.evidenceEventIds,
      ruleVersion: x.ruleVersion,
      detectedAt: x.detectedAt,
    })),
    priority: Number(r.priority),
    valueAtRisk: Number(r.value_at_risk),
    currency,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    dueAt: r.due_at.toISOString(),
    assignee: r.assignee,
    outcome: r.outcome,
    note: r.outcome_note,
    closedAt: r.closed_at?.toISOString() ?? null,
    /** When the overdue task was escalated to the branch lead (an escalation alert went out); null if not. */
    escalatedAt: r.escalated_at?.toISOString() ?? null,
  };
}
export type TaskView = ReturnType<typeof taskView>;
