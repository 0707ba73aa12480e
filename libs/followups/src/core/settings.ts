import type { ReasonFamily } from '@rp/risk';

/** Business settings of the follow-up layer (pure data; loaded and validated at boot). */
export interface FollowupRules {
  /** A reason closed with an outcome this many days before a new detection is suppressed. */
  cooldownDays: number;
  /** Share of customers (0..1) kept uncontacted as holdout. */
  holdoutShare: number;
  /** Days from detection to due date, by family, when no urgency hint is sooner. */
  dueDays: Record<ReasonFamily, number>;
  /** A coverage task is due this many days before the warranty ends. */
  warrantyLeadDays: number;
}

export const DEFAULT_FOLLOWUP_RULES: FollowupRules = {
  cooldownDays: 30,
  holdoutShare: 0,
  dueDays: { coverage: 7, lapse: 14, experience: 2, technical: 3 },
  warrantyLeadDays: 7,
};
