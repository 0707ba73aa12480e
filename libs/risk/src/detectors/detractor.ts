import type { SurveyResponse } from '../model/customer-state';
import type { DetectorResult } from '../model/decision';
import type { CustomerContext } from '../model/detector';
import type { EffectiveRules } from '../rules/resolve-rules';
import { customerAsOf } from '../support/as-of';
import { makeDecision } from '../support/make-decision';
import { HOUR_MS, wholeDays } from '../support/time';

type Limits = EffectiveRules['thresholds']['detractor'];

/** The failing scores of a response, e.g. ["NPS 3", "CES 2"]. */
function failingScores(s: SurveyResponse, t: Limits): string[] {
  const out: string[] = [];
  if (s.nps !== undefined && s.nps <= t.maxNps) out.push(`NPS ${s.nps}`);
  if (s.ces !== undefined && s.ces <= t.maxCes) out.push(`CES ${s.ces}`);
  if (s.csat !== undefined && s.csat <= t.maxCsat) out.push(`CSAT ${s.csat}`);
  return out;
}

/**
 * DETRACTOR (customer-level, one decision per response): NPS <= maxNps, or CES <= maxCes, or
 * CSAT <= maxCsat, for responses younger than `maxAgeDays` (older ones are history, not a call to make).
 * The message carries the comment, else the failing scores.
 */
export function detectDetractor(ctx: CustomerContext, asOfMs: number, rules: EffectiveRules): DetectorResult {
  const c = customerAsOf(ctx.customer, asOfMs);
  const t = rules.thresholds.detractor;
  const decisions = c.surveys
    .filter((s) => wholeDays(s.at, asOfMs) < t.maxAgeDays)
    .flatMap((s) => {
      const scores = failingScores(s, t);
      if (scores.length === 0) return [];
      const said = s.comment?.trim() || scores.join(', ');
      return [
        makeDecision(
          c,
          {
            reasonCode: 'DETRACTOR',
            serialNumber: null,
            episode: `survey:${s.id}`,
            message: `close the loop within ${t.closeLoopHours} h: ${said}`,
            evidence: [s.eventId],
            urgency: { respondByMs: s.at + t.closeLoopHours * HOUR_MS },
          },
          asOfMs,
          rules,
        ),
      ];
    });
  return { decisions, nextCheckAtMs: null };
}
