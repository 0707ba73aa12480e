import type { Decision, DetectorResult, UrgencyHints } from '../model/decision';
import { REASON_FAMILY, type ReasonCode } from '../model/reason-codes';
import type { EffectiveRules } from '../rules/resolve-rules';
import { episodeId } from './episode-id';

/** Who a decision is about. */
export interface Owner {
  readonly dealerId: string;
  readonly customerId: string;
}

export interface DecisionDraft {
  readonly reasonCode: ReasonCode;
  readonly serialNumber: string | null;
  readonly episode: string;
  readonly message: string;
  /** Undefined entries and repeats are dropped; order is kept. */
  readonly evidence: readonly (string | undefined)[];
  readonly urgency?: UrgencyHints;
}

/** Unique, defined evidence ids in first-seen order. */
export const evidenceIds = (ids: readonly (string | undefined)[]): string[] => [
  ...new Set(ids.filter((id): id is string => id !== undefined)),
];

export function makeDecision(
  owner: Owner,
  draft: DecisionDraft,
  asOfMs: number,
  rules: EffectiveRules,
): Decision {
  return {
    id: episodeId({
      dealerId: owner.dealerId,
      customerId: owner.customerId,
      serialNumber: draft.serialNumber,
      code: draft.reasonCode,
      ruleVersion: rules.version,
      episode: draft.episode,
    }),
    dealerId: owner.dealerId,
    customerId: owner.customerId,
    serialNumber: draft.serialNumber,
    reasonCode: draft.reasonCode,
    family: REASON_FAMILY[draft.reasonCode],
    message: draft.message,
    evidenceEventIds: evidenceIds(draft.evidence),
    ruleId: `${rules.ruleSetId}:${draft.reasonCode}`,
    ruleVersion: rules.version,
    detectedAtMs: asOfMs,
    episode: draft.episode,
    urgency: draft.urgency ?? {},
  };
}

/** A result without decisions. */
export const quiet = (nextCheckAtMs: number | null = null): DetectorResult => ({
  decisions: [],
  nextCheckAtMs,
});

/** A result with one decision. */
export const fired = (decision: Decision): DetectorResult => ({ decisions: [decision], nextCheckAtMs: null });
