import { parseAlertEscalation } from './escalation-payload';
import { parseAlertDecision } from './payload';
import type { MatchableDecision } from './subscription';

/** Outbox kinds the alert fan-out reads, and the alert type each becomes. */
export const ALERT_SOURCE_KINDS = { decision: 'churn.alert', escalation: 'task.escalated' } as const;
export type AlertSourceKind = keyof typeof ALERT_SOURCE_KINDS;

export type AlertSource = { ok: true; match: MatchableDecision } | { ok: false; why: 'invalid' };

/**
 * What an outbox row (a decision or an escalation) offers to subscription matching, or why it alerts
 * nobody: a payload without the alert fields. The holdout is not decided here: the fan-out reads the
 * customer's recorded holdout (the one its tasks follow). An escalation never concerns a held-out customer
 * (holdout tasks do not escalate).
 */
export function alertSource(
  kind: AlertSourceKind,
  payload: unknown,
  row: { dealerId: string; recordedAtMs: number },
): AlertSource {
  if (kind === 'escalation') {
    const p = parseAlertEscalation(payload);
    if (!p.ok) return { ok: false, why: 'invalid' };
    const e = p.escalation;
    return {
      ok: true,
      match: { type: 'task.escalated', reasonCodes: e.reasonCodes, priority: e.priority, ...row },
    };
  }
  const p = parseAlertDecision(payload);
  if (!p.ok) return { ok: false, why: 'invalid' };
  const d = p.decision;
  return {
    ok: true,
    match: { type: 'churn.alert', reasonCodes: [d.reasonCode], priority: d.priority, ...row },
  };
}
