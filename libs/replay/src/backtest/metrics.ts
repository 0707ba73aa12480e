/** A machine of a customer at one monthly cut-off. */
export interface Unit {
  dealerId: string;
  customerId: string;
  serialNumber: string;
  /** The machine's branch at the cut-off: top-K is taken per (dealer, branch). */
  branchId?: string | null;
}

/** What a rule set said about one unit at a cut-off (using only facts known before it). */
export interface Flag {
  unit: Unit;
  /** Reason codes in force at the cut-off (customer-level ones apply to each of the customer's machines). */
  reasons: string[];
  /** The strongest decision's priority (ranks the top-K). */
  priority: number;
}

/** One cut-off: the eligible units with their label, and each rule set's flags. */
export interface CutoffCase {
  cutoffMs: number;
  /** key(unit) → lapsed in the horizon after the cut-off. Units without a label are not counted. */
  labels: Map<string, boolean>;
  flags: Flag[];
}

export interface Score {
  /** Eligible units (summed over cut-offs) and how many of them lapsed. */
  population: number;
  positives: number;
  flagged: number;
  truePositives: number;
  /** null when nothing was flagged / nobody lapsed. */
  precision: number | null;
  recall: number | null;
  /** precision ÷ base rate (positives ÷ population). */
  lift: number | null;
}

export interface BacktestScores {
  overall: Score;
  topK: (Score & { k: number })[];
  byReason: (Score & { reason: string })[];
}

export const unitKey = (u: Unit): string => `${u.dealerId}\u0000${u.customerId}\u0000${u.serialNumber}`;

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

function score(population: number, positives: number, flagged: number, tp: number): Score {
  const precision = ratio(tp, flagged);
  const base = ratio(positives, population);
  return {
    population,
    positives,
    flagged,
    truePositives: tp,
    precision,
    recall: ratio(tp, positives),
    lift: precision === null || base === null || base === 0 ? null : precision / base,
  };
}

/** Highest priority first; ties by unit key so the top-K is deterministic. */
const byPriority = (a: Flag, b: Flag) =>
  b.priority - a.priority ||
  (unitKey(a.unit) < unitKey(b.unit) ? -1 : unitKey(a.unit) > unitKey(b.unit) ? 1 : 0);

/** The queue a unit's task lands in: its dealer's branch (one dealer's data never mixes with another's). */
const queueOf = (u: Unit): string => `${u.dealerId}\u0000${u.branchId ?? ''}`;

/** The K highest priorities of each (dealer, branch) queue, of flags sorted by priority. */
function topOfEachQueue(sorted: Flag[], k: number): Flag[] {
  const taken = new Map<string, number>();
  return sorted.filter((f) => {
    const n = taken.get(queueOf(f.unit)) ?? 0;
    taken.set(queueOf(f.unit), n + 1);
    return n < k;
  });
}

/**
 * Precision, recall and lift, micro-averaged over cut-offs (pure). A flag counts only for a labelled
 * unit; top-K takes the K highest priorities of each (dealer, branch) at each cut-off (a branch's
 * monthly call capacity); per reason, a unit counts when that reason was among its reasons.
 */
export function scoreBacktest(cases: CutoffCase[], ks: number[]): BacktestScores {
  let population = 0;
  let positives = 0;
  const all = { flagged: 0, tp: 0 };
  const top = new Map(ks.map((k) => [k, { flagged: 0, tp: 0 }]));
  const reasons = new Map<string, { flagged: number; tp: number }>();
  for (const c of cases) {
    population += c.labels.size;
    for (const v of c.labels.values()) if (v) positives++;
    const labelled = c.flags.filter((f) => c.labels.has(unitKey(f.unit))).sort(byPriority);
    const hit = (f: Flag) => c.labels.get(unitKey(f.unit)) === true;
    for (const f of labelled) {
      all.flagged++;
      if (hit(f)) all.tp++;
      for (const r of new Set(f.reasons)) {
        const s = reasons.get(r) ?? { flagged: 0, tp: 0 };
        s.flagged++;
        if (hit(f)) s.tp++;
        reasons.set(r, s);
      }
    }
    for (const [k, s] of top) {
      const head = topOfEachQueue(labelled, k);
      s.flagged += head.length;
      s.tp += head.filter(hit).length;
    }
  }
  return {
    overall: score(population, positives, all.flagged, all.tp),
    topK: [...top].map(([k, s]) => ({ k, ...score(population, positives, s.flagged, s.tp) })),
    byReason: [...reasons]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([reason, s]) => ({ reason, ...score(population, positives, s.flagged, s.tp) })),
  };
}
