/**
 * The alert types a subscription can take: `churn.alert` (a recorded decision) and `task.escalated` (an
 * overdue task escalated to its branch lead). A subscription takes both unless it names some
 * (`webhooks add --alerts …`, column alert_types); the body's `type` field tells them apart.
 */
export const ALERT_TYPES = ['churn.alert', 'task.escalated'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];

/** A dealer's webhook subscription as the fan-out matches it (the secret stays in Postgres). */
export interface AlertSubscription {
  dealerId: string;
  subscriptionId: string;
  /** null = every reason code. */
  reasonCodes: readonly string[] | null;
  minPriority: number;
  /** The alert types it takes. */
  alertTypes: readonly string[];
  active: boolean;
  createdAtMs: number;
}

/** What matching needs to know about a recorded decision or escalation. */
export interface MatchableDecision {
  type: AlertType;
  dealerId: string;
  /** The decision's reason code; an escalated task's reason codes (any one listed matches). */
  reasonCodes: readonly string[];
  priority: number;
  /** When it was recorded (its outbox row): subscriptions only see what came after them. */
  recordedAtMs: number;
}

/** Does this subscription want an alert for this decision or escalation? */
export function matchesSubscription(s: AlertSubscription, d: MatchableDecision): boolean {
  const wanted = s.reasonCodes;
  return (
    s.active &&
    s.dealerId === d.dealerId &&
    s.alertTypes.includes(d.type) &&
    d.recordedAtMs >= s.createdAtMs &&
    d.priority >= s.minPriority &&
    (wanted === null || d.reasonCodes.some((c) => wanted.includes(c)))
  );
}
