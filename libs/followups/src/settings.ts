import type { FollowupsConfig } from '@rp/config';
import { DEFAULT_FOLLOWUP_RULES, type FollowupRules } from './core/settings';

/** Runtime settings of the followups role: the business rules plus relay and worker tuning. */
export interface FollowupSettings {
  rules: FollowupRules;
  /** Outbox rows per relay batch. */
  relayBatch: number;
  /** Pause of the relay when the outbox is empty. */
  relayIdleMs: number;
  /** A dispatched decision not applied after this long is sent again (Redis may have lost it). */
  redispatchAfterMs: number;
  workerConcurrency: number;
  /**
   * Attempts of a job before it fails; retries back off exponentially from backoffMs (10 from 1 s ≈ 8.5 min).
   * A job that failed every attempt on a transient error is retried by the periodic recovery while its work
   * is still undone; one that threw UnrecoverableError stays failed (see failedTransiently in @rp/queue).
   */
  attempts: number;
  backoffMs: number;
}

export const DEFAULT_FOLLOWUP_SETTINGS: FollowupSettings = {
  rules: DEFAULT_FOLLOWUP_RULES,
  relayBatch: 200,
  relayIdleMs: 200,
  redispatchAfterMs: 60_000,
  workerConcurrency: 32,
  attempts: 10,
  backoffMs: 1_000,
};

/** Follow-up settings: the defaults with the FOLLOWUP_* overrides of the validated AppConfig. */
export function followupSettings(config: FollowupsConfig): FollowupSettings {
  const d = DEFAULT_FOLLOWUP_SETTINGS;
  return {
    ...d,
    rules: {
      ...d.rules,
      cooldownDays: config.cooldownDays ?? d.rules.cooldownDays,
      holdoutShare: config.holdoutShare ?? d.rules.holdoutShare,
    },
    redispatchAfterMs: config.redispatchAfterMs ?? d.redispatchAfterMs,
    workerConcurrency: config.workerConcurrency ?? d.workerConcurrency,
    attempts: config.attempts ?? d.attempts,
    backoffMs: config.backoffMs ?? d.backoffMs,
  };
}
