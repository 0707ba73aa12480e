/** A task row as stored. */
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
}

export const TASK_COLUMNS = `t.dealer_id, t.task_id, t.branch_id, t.customer_id, t.serial_number, t.family, t.reasons,
  t.priority, t.value_at_risk, t.status, t.created_at, t.due_at, t.assignee, t.outcome, t.outcome_note, t.closed_at,
  t.escalated_at`;

/** A task as the API shows it (PRODUCT.md "Minimum API"). */
export function taskView(r: TaskRow) {
  return {
    id: r.task_id,
    dealerId: r.dealer_id,
    branchId: r.branch_id,
    customerId: r.customer_id,
    serialNumber: r.serial_number,
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
