import { z } from 'zod';

const text = z.string().min(1);
const instant = z.number().int().nonnegative();

/** The `escalation` outbox row written by @rp/followups when an overdue task escalates. */
const escalationSchema = z.object({
  id: text,
  dealerId: text,
  taskId: text,
  customerId: text,
  serialNumber: text.nullable(),
  branchId: text,
  family: text,
  reasonCodes: z.array(text),
  priority: z.number().finite(),
  valueAtRisk: z.number().finite(),
  dueAtMs: instant,
  escalatedAtMs: instant,
});

export type AlertEscalation = z.infer<typeof escalationSchema>;

/** Validates an outbox escalation payload; the reason when it can never become an alert. */
export function parseAlertEscalation(
  payload: unknown,
): { ok: true; escalation: AlertEscalation } | { ok: false; reason: string } {
  const r = escalationSchema.safeParse(payload);
  if (r.success) return { ok: true, escalation: r.data };
  const issue = r.error.issues[0];
  return { ok: false, reason: `invalid escalation: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
}

export interface EscalationAlertPayload {
  type: 'task.escalated';
  deliveryId: string;
  dealerId: string;
  subscriptionId: string;
  task: {
    id: string;
    customerId: string;
    serialNumber: string | null;
    branchId: string;
    family: string;
    reasonCodes: string[];
    priority: number;
    valueAtRisk: number;
    dueAt: string;
    escalatedAt: string;
  };
}

/** The JSON body of an escalation alert (for the branch lead); like a churn alert it holds no send time. */
export function escalationAlertPayload(
  e: AlertEscalation,
  deliveryId: string,
  subscriptionId: string,
): EscalationAlertPayload {
  return {
    type: 'task.escalated',
    deliveryId,
    dealerId: e.dealerId,
    subscriptionId,
    task: {
      id: e.taskId,
      customerId: e.customerId,
      serialNumber: e.serialNumber,
      branchId: e.branchId,
      family: e.family,
      reasonCodes: e.reasonCodes,
      priority: e.priority,
      valueAtRisk: e.valueAtRisk,
      dueAt: new Date(e.dueAtMs).toISOString(),
      escalatedAt: new Date(e.escalatedAtMs).toISOString(),
    },
  };
}
