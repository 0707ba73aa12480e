import { z } from 'zod';
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
  /** Attempts of a job before it fails for good; retries back off exponentially from backoffMs. */
  attempts: number;
  backoffMs: number;
}

export const DEFAULT_FOLLOWUP_SETTINGS: FollowupSettings = {
  rules: DEFAULT_FOLLOWUP_RULES,
  relayBatch: 200,
  relayIdleMs: 200,
  redispatchAfterMs: 60_000,
  workerConcurrency: 8,
  attempts: 10,
  backoffMs: 1_000,
};

const share = z.coerce.number().min(0).max(1);
const days = z.coerce.number().int().min(0).max(3650);
const positiveInt = z.coerce.number().int().positive();

const envSchema = z.object({
  FOLLOWUP_COOLDOWN_DAYS: days.optional(),
  FOLLOWUP_HOLDOUT_SHARE: share.optional(),
  FOLLOWUP_REDISPATCH_AFTER_MS: positiveInt.optional(),
  FOLLOWUP_WORKER_CONCURRENCY: positiveInt.max(256).optional(),
});

/**
 * Follow-up settings from FOLLOWUP_* variables over the defaults. A bad value throws naming the
 * variable, so the process stops at boot.
 */
export function loadFollowupSettings(env: Record<string, string | undefined>): FollowupSettings {
  const r = envSchema.safeParse(env);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`invalid configuration: ${issue.path.join('.')}: ${issue.message}`);
  }
  const e = r.data;
  const d = DEFAULT_FOLLOWUP_SETTINGS;
  return {
    ...d,
    rules: {
      ...d.rules,
      cooldownDays: e.FOLLOWUP_COOLDOWN_DAYS ?? d.rules.cooldownDays,
      holdoutShare: e.FOLLOWUP_HOLDOUT_SHARE ?? d.rules.holdoutShare,
    },
    redispatchAfterMs: e.FOLLOWUP_REDISPATCH_AFTER_MS ?? d.redispatchAfterMs,
    workerConcurrency: e.FOLLOWUP_WORKER_CONCURRENCY ?? d.workerConcurrency,
  };
}
