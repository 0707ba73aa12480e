import type { Suppression, SuppressorResult } from '../model/decision';
import type { MachineState } from '../model/machine-state';
import type { SuppressionCode } from '../model/reason-codes';
import type { EffectiveRules } from '../rules/resolve-rules';
import { episodeId } from './episode-id';
import { evidenceIds } from './make-decision';

export interface SuppressionDraft {
  readonly reasonCode: SuppressionCode;
  readonly episode: string;
  readonly message: string;
  readonly sinceMs: number;
  readonly evidence: readonly (string | undefined)[];
}

export function makeSuppression(
  m: MachineState,
  draft: SuppressionDraft,
  asOfMs: number,
  rules: EffectiveRules,
): Suppression {
  return {
    id: episodeId({
      dealerId: m.dealerId,
      customerId: m.customerId,
      serialNumber: m.serialNumber,
      code: draft.reasonCode,
      ruleVersion: rules.version,
      episode: draft.episode,
    }),
    dealerId: m.dealerId,
    customerId: m.customerId,
    serialNumber: m.serialNumber,
    reasonCode: draft.reasonCode,
    message: draft.message,
    evidenceEventIds: evidenceIds(draft.evidence),
    ruleId: `${rules.ruleSetId}:${draft.reasonCode}`,
    ruleVersion: rules.version,
    detectedAtMs: asOfMs,
    sinceMs: draft.sinceMs,
    episode: draft.episode,
  };
}

export const notSuppressed = (nextCheckAtMs: number | null = null): SuppressorResult => ({
  suppression: null,
  nextCheckAtMs,
});

export const suppressed = (suppression: Suppression): SuppressorResult => ({
  suppression,
  nextCheckAtMs: null,
});
