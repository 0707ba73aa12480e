import type { TaskReason } from './task';

/** The escalated task as the `escalation` outbox row carries it to the alert fan-out (@rp/alerts). */
export interface EscalationEvent {
  /** The outbox dedup key: one escalation per task and due date. */
  id: string;
  dealerId: string;
  taskId: string;
  customerId: string;
  serialNumber: string | null;
  branchId: string;
  family: string;
  reasonCodes: string[];
  priority: number;
  valueAtRisk: number;
  dueAtMs: number;
  escalatedAtMs: number;
}

export interface EscalatedTask {
  dealerId: string;
  taskId: string;
  customerId: string;
  serialNumber: string | null;
  branchId: string;
  family: string;
  reasons: readonly Pick<TaskReason, 'code'>[];
  priority: number;
  valueAtRisk: number;
  dueAtMs: number;
}

/** `<taskId>@<dueAtMs>`: the same escalation always has the same outbox key (and delivery ids). */
export const escalationEventId = (taskId: string, dueAtMs: number): string => `${taskId}@${dueAtMs}`;

/** The escalation event of a task escalated at `escalatedAtMs` (the injected clock). */
export function escalationEvent(t: EscalatedTask, escalatedAtMs: number): EscalationEvent {
  return {
    id: escalationEventId(t.taskId, t.dueAtMs),
    dealerId: t.dealerId,
    taskId: t.taskId,
    customerId: t.customerId,
    serialNumber: t.serialNumber,
    branchId: t.branchId,
    family: t.family,
    reasonCodes: [...new Set(t.reasons.map((r) => r.code))],
    priority: t.priority,
    valueAtRisk: t.valueAtRisk,
    dueAtMs: t.dueAtMs,
    escalatedAtMs,
  };
}
