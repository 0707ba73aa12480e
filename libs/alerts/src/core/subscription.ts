/** A dealer's webhook subscription as the fan-out matches it (the secret stays in Postgres). */
export interface AlertSubscription {
  dealerId: string;
  subscriptionId: string;
  /** null = every reason code. */
  reasonCodes: readonly string[] | null;
  minPriority: number;
  active: boolean;
  createdAtMs: number;
}

/** What matching needs to know about a recorded decision. */
export interface MatchableDecision {
  dealerId: string;
  reasonCode: string;
  priority: number;
  /** When the decision was recorded (its outbox row): subscriptions only see decisions after them. */
  recordedAtMs: number;
}

/** Does this subscription want an alert for this decision? */
export function matchesSubscription(s: AlertSubscription, d: MatchableDecision): boolean {
  return (
    s.active &&
    s.dealerId === d.dealerId &&
    d.recordedAtMs >= s.createdAtMs &&
    d.priority >= s.minPriority &&
    (s.reasonCodes === null || s.reasonCodes.includes(d.reasonCode))
  );
}
