/** Job names of the followups queue; each has exactly one handler (checked at boot). */
export enum FollowupJob {
  Decision = 'decision',
  Escalate = 'escalate',
}

/** A job id part: BullMQ refuses ':' in custom ids; dots separate the parts. */
const part = (s: string): string => encodeURIComponent(s).replace(/\./g, '%2E');

/** `decision.<dealer>.<decisionId>`: the same outbox row always becomes the same job. */
export const decisionJobId = (dealerId: string, decisionId: string): string =>
  `decision.${part(dealerId)}.${part(decisionId)}`;

/** `escalate.<dealer>.<taskId>.<dueAtMs>`: one escalation per task and due date. */
export const escalationJobId = (dealerId: string, taskId: string, dueAtMs: number): string =>
  `escalate.${part(dealerId)}.${part(taskId)}.${dueAtMs}`;

/** Data of a decision job: the outbox envelope (trusted) and the decision payload (validated). */
export interface DecisionJobData {
  outboxId: string;
  dealerId: string;
  decisionId: string;
  decision: unknown;
}

export interface EscalationJobData {
  dealerId: string;
  taskId: string;
  dueAtMs: number;
}
