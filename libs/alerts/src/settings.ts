import { z } from 'zod';

/** Runtime settings of churn alerts: polling, worker and delivery tuning. */
export interface AlertSettings {
  /** Outbox rows / dispatch rows per poll batch. */
  batch: number;
  /** Pause of the poller when nothing is waiting. */
  pollIdleMs: number;
  /** Deadline of one HTTP attempt (connect, headers and body). */
  timeoutMs: number;
  /** Attempts of a delivery before it fails for good; retries back off exponentially from backoffMs. */
  attempts: number;
  backoffMs: number;
  /** Deliveries in flight at once: a hanging receiver holds one slot for at most timeoutMs. */
  concurrency: number;
  /** A delivery enqueued this long ago and still pending is enqueued again (Redis may have lost it). */
  redispatchAfterMs: number;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  batch: 200,
  pollIdleMs: 200,
  timeoutMs: 5_000,
  attempts: 8,
  backoffMs: 1_000,
  concurrency: 16,
  redispatchAfterMs: 15 * 60_000,
};

const positiveInt = z.coerce.number().int().positive();

const envSchema = z.object({
  ALERT_TIMEOUT_MS: positiveInt.max(120_000).optional(),
  ALERT_ATTEMPTS: positiveInt.max(50).optional(),
  ALERT_BACKOFF_MS: positiveInt.max(3_600_000).optional(),
  ALERT_CONCURRENCY: positiveInt.max(256).optional(),
  ALERT_REDISPATCH_AFTER_MS: positiveInt.optional(),
});

/** Alert settings from ALERT_* variables over the defaults; a bad value throws naming the variable. */
export function loadAlertSettings(env: Record<string, string | undefined>): AlertSettings {
  const r = envSchema.safeParse(env);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`invalid configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = r.data;
  const d = DEFAULT_ALERT_SETTINGS;
  return {
    ...d,
    timeoutMs: e.ALERT_TIMEOUT_MS ?? d.timeoutMs,
    attempts: e.ALERT_ATTEMPTS ?? d.attempts,
    backoffMs: e.ALERT_BACKOFF_MS ?? d.backoffMs,
    concurrency: e.ALERT_CONCURRENCY ?? d.concurrency,
    redispatchAfterMs: e.ALERT_REDISPATCH_AFTER_MS ?? d.redispatchAfterMs,
  };
}
