import type { AlertsConfig, FollowupsConfig } from '@rp/config';
import { DEFAULT_FOLLOWUP_RULES } from '@rp/followups';

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
  /** The follow-up holdout share (FOLLOWUP_HOLDOUT_SHARE): held-out customers get no churn alert either. */
  holdoutShare: number;
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
  holdoutShare: DEFAULT_FOLLOWUP_RULES.holdoutShare,
};

/**
 * Alert settings: the defaults with the ALERT_* overrides of the validated AppConfig, and the holdout share
 * of its FOLLOWUP_* part (the same one the tasks use; pass `config.followups`).
 */
export function alertSettings(config: AlertsConfig, followups: FollowupsConfig = {}): AlertSettings {
  const d = DEFAULT_ALERT_SETTINGS;
  return {
    ...d,
    timeoutMs: config.timeoutMs ?? d.timeoutMs,
    attempts: config.attempts ?? d.attempts,
    backoffMs: config.backoffMs ?? d.backoffMs,
    concurrency: config.concurrency ?? d.concurrency,
    redispatchAfterMs: config.redispatchAfterMs ?? d.redispatchAfterMs,
    allowPrivateTargets: config.webhookUrls.allowPrivateTargets,
    holdoutShare: followups.holdoutShare ?? d.holdoutShare,
  };
}
