import type { AlertsConfig } from '@rp/config';

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
  /** Deliver to hosts resolving to loopback/private/link-local addresses (tests); refused otherwise. */
  allowPrivateTargets: boolean;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  batch: 200,
  pollIdleMs: 200,
  timeoutMs: 5_000,
  attempts: 8,
  backoffMs: 1_000,
  concurrency: 16,
  redispatchAfterMs: 15 * 60_000,
  allowPrivateTargets: false,
};

/** Alert settings: the defaults with the ALERT_* overrides of the validated AppConfig. */
export function alertSettings(config: AlertsConfig): AlertSettings {
  const d = DEFAULT_ALERT_SETTINGS;
  return {
    ...d,
    timeoutMs: config.timeoutMs ?? d.timeoutMs,
    attempts: config.attempts ?? d.attempts,
    backoffMs: config.backoffMs ?? d.backoffMs,
    concurrency: config.concurrency ?? d.concurrency,
    redispatchAfterMs: config.redispatchAfterMs ?? d.redispatchAfterMs,
    allowPrivateTargets: config.webhookUrls.allowPrivateTargets,
  };
}
