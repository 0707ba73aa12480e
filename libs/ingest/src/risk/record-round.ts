import type { Decision, Suppression } from '@rp/risk';
import { cols, iso, unnestInsert, type Executor } from '../projections/sql';
import type { DecisionValue } from './decision-value';
import { insertTimers, timerRows } from './schedule';

// What a sweep round records: its decisions and suppressions (the earliest detection of each) with their
// outbox rows, and the next checks its evaluations asked for.

/** A decision as recorded and published (retention.decisions): the pure decision plus its value. */
export type ValuedDecision = Decision & DecisionValue & { branchId: string };

const DECISION_COLS =
  cols(`dealer_id, decision_id, customer_id, serial_number, branch_id, reason_code, family,
  message, evidence_event_ids jsonb, rule_id, rule_version, episode, detected_at timestamptz, urgency jsonb,
  clv numeric, p_lapse numeric, value_at_risk numeric, priority numeric, p_alive numeric`);
const SUPPRESSION_COLS = cols(`dealer_id, suppression_id, customer_id, serial_number, reason_code, message,
  evidence_event_ids jsonb, rule_id, rule_version, episode, since timestamptz, detected_at timestamptz`);

const byDealerAndId = (a: { dealerId: string; id: string }, b: { dealerId: string; id: string }) =>
  a.dealerId < b.dealerId ? -1 : a.dealerId > b.dealerId ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

type Detected = { dealerId: string; id: string; detectedAtMs: number };

/** One item per (dealer, id): the earliest detection of each (the first one found among equals). */
export class Earliest<T extends Detected> {
  private readonly byKey = new Map<string, T>();
  private readonly key = (item: Detected) => `${item.dealerId}\u0000${item.id}`;

  /** `item` would be kept: no detection of its id is known yet, or only later ones. */
  earlier(item: Detected): boolean {
    const seen = this.byKey.get(this.key(item));
    return seen === undefined || item.detectedAtMs < seen.detectedAtMs;
  }

  put(item: T): void {
    this.byKey.set(this.key(item), item);
  }

  /** In key order. */
  items(): T[] {
    return [...this.byKey.values()].sort(byDealerAndId);
  }
}

/**
 * Rows are written in key order: concurrent partitions take their locks in one order (no deadlock). One
 * decision / suppression per id, its earliest detection (a sweep may evaluate several instants).
 */
export async function record(
  db: Executor,
  decisions: ValuedDecision[],
  suppressions: Suppression[],
  next: [string, string, number][],
): Promise<void> {
  // The same decision found again keeps its earliest detection (a replay batches differently than live).
  const written = await unnestInsert<{ dealer_id: string; decision_id: string; inserted: boolean }>(
    db,
    'decisions',
    DECISION_COLS,
    decisions.map((d) => [
      d.dealerId,
      d.id,
      d.customerId,
      d.serialNumber,
      d.branchId,
      d.reasonCode,
      d.family,
      d.message,
      d.evidenceEventIds,
      d.ruleId,
      d.ruleVersion,
      d.episode,
      iso(d.detectedAtMs),
      d.urgency,
      d.clv,
      d.pLapse,
      d.valueAtRisk,
      d.priority,
      d.pAlive,
    ]),
    `ON CONFLICT (dealer_id, decision_id) DO UPDATE SET detected_at = EXCLUDED.detected_at, message = EXCLUDED.message,
       evidence_event_ids = EXCLUDED.evidence_event_ids, urgency = EXCLUDED.urgency, clv = EXCLUDED.clv,
       p_lapse = EXCLUDED.p_lapse, value_at_risk = EXCLUDED.value_at_risk, priority = EXCLUDED.priority,
       p_alive = EXCLUDED.p_alive
     WHERE EXCLUDED.detected_at < decisions.detected_at
     RETURNING dealer_id, decision_id, (xmax = 0) AS inserted`,
  );
  const fresh = new Set(written.filter((r) => r.inserted).map((r) => `${r.dealer_id}\u0000${r.decision_id}`));
  await unnestInsert(
    db,
    'outbox',
    cols('dealer_id, kind, dedup_key, payload jsonb'),
    decisions
      .filter((d) => fresh.has(`${d.dealerId}\u0000${d.id}`))
      .map((d) => [d.dealerId, 'decision', d.id, d]),
    'ON CONFLICT DO NOTHING',
  );
  // Suppressions too keep their earliest detection, whichever sweep found them first.
  const kept = await unnestInsert<{ dealer_id: string; suppression_id: string; inserted: boolean }>(
    db,
    'suppressions',
    SUPPRESSION_COLS,
    suppressions.map((s) => [
      s.dealerId,
      s.id,
      s.customerId,
      s.serialNumber,
      s.reasonCode,
      s.message,
      s.evidenceEventIds,
      s.ruleId,
      s.ruleVersion,
      s.episode,
      iso(s.sinceMs),
      iso(s.detectedAtMs),
    ]),
    `ON CONFLICT (dealer_id, suppression_id) DO UPDATE SET detected_at = EXCLUDED.detected_at,
       message = EXCLUDED.message, evidence_event_ids = EXCLUDED.evidence_event_ids
     WHERE EXCLUDED.detected_at < suppressions.detected_at
     RETURNING dealer_id, suppression_id, (xmax = 0) AS inserted`,
  );
  // A new suppression tells the followups role to close the tasks it makes moot (sold, parked, relocated
  // machines). Only new ones: an earlier detection of a known suppression changes nothing for the tasks.
  // Never published to Kafka (published_at set at once, as for escalations), so the decisions publisher's
  // pending index never holds them; the alert fan-out only reads decisions and escalations.
  const newSuppressions = new Set(
    kept.filter((r) => r.inserted).map((r) => `${r.dealer_id}\u0000${r.suppression_id}`),
  );
  const outboxed = suppressions.filter((s) => newSuppressions.has(`${s.dealerId}\u0000${s.id}`));
  if (outboxed.length > 0) {
    await db.query(
      `INSERT INTO outbox (dealer_id, kind, dedup_key, payload, published_at)
       SELECT d, 'suppression', k, p, now() FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS x(d, k, p)
       ON CONFLICT DO NOTHING`,
      [outboxed.map((s) => s.dealerId), outboxed.map((s) => s.id), outboxed.map((s) => JSON.stringify(s))],
    );
  }
  await insertTimers(db, timerRows(next));
}
