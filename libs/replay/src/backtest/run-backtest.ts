import type { DataSource } from 'typeorm';
import type { RuleSet } from '@rp/risk';
import { scoreBacktest, type BacktestScores, type CutoffCase } from './metrics';
import { loadPopulation, truthLabels, type GroundTruth, type PopulationOptions } from './population';
import { predict } from './predict';
import { unitKey } from './metrics';

export interface BacktestOptions extends PopulationOptions {
  /** First and last monthly cut-off (epoch ms of a month's first instant, UTC); defaults from the data. */
  fromMs?: number;
  toMs?: number;
  topK: number[];
  /** One rule set, or two side by side (e.g. draft vs active). */
  ruleSets: RuleSet[];
  /** Labels from the simulator's ground truth instead of the events after each cut-off. */
  truth?: GroundTruth[];
}

export interface BacktestResult {
  schema: string;
  labels: 'events' | 'ground-truth';
  horizonDays: number;
  cutoffs: string[];
  results: { ruleSet: string; scores: BacktestScores }[];
}

const DAY = 86_400_000;
const monthStart = (ms: number, add = 0): number => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1);
};

/** Monthly cut-offs whose whole horizon lies inside the data (no cut-off sees a truncated future). */
export async function cutoffsOf(
  ds: DataSource,
  o: Pick<BacktestOptions, 'fromMs' | 'toMs' | 'horizonDays'>,
): Promise<number[]> {
  const [r] = await ds.query<{ first: Date | null; last: Date | null }[]>(
    `SELECT (SELECT min(COALESCE(delivered_at, owner_since)) FROM machines) AS first,
            (SELECT max(last_telematics_at) FROM machines) AS last`,
  );
  if (!r?.first || !r.last) return [];
  const lastAllowed = new Date(r.last).getTime() - o.horizonDays * DAY;
  const from = o.fromMs ?? monthStart(new Date(r.first).getTime(), 1);
  const to = Math.min(o.toMs ?? Infinity, lastAllowed);
  const out: number[] = [];
  for (let c = monthStart(from); c <= to; c = monthStart(c, 1)) if (c >= from) out.push(c);
  return out;
}

/**
 * Backtest: at each monthly cut-off, which units each rule set flags (facts before the cut-off only)
 * against what happened in the horizon after it; precision, recall and lift overall, at top-K and per
 * reason. Reads the projections of `ds`'s schema (live or a replay); writes nothing but the dealer's
 * fitted P(alive) models, which are a deterministic cache.
 */
export async function runBacktest(ds: DataSource, o: BacktestOptions): Promise<BacktestResult> {
  const cutoffs = await cutoffsOf(ds, o);
  const populations = new Map<number, Awaited<ReturnType<typeof loadPopulation>>>();
  for (const c of cutoffs) populations.set(c, await loadPopulation(ds, c, o));
  const flags = await predict(ds, populations, o.ruleSets);
  const results = o.ruleSets.map((ruleSet, i) => {
    const cases: CutoffCase[] = cutoffs.map((c) => {
      const units = populations.get(c) ?? [];
      const labels = o.truth
        ? truthLabels(units, o.truth, c, o.horizonDays)
        : new Map(units.map((u) => [unitKey(u), u.lapsed]));
      return { cutoffMs: c, labels, flags: flags[i].get(c) ?? [] };
    });
    return { ruleSet: `${ruleSet.id}@${ruleSet.version}`, scores: scoreBacktest(cases, o.topK) };
  });
  return {
    schema: (ds.options as { schema?: string }).schema ?? 'public',
    labels: o.truth ? 'ground-truth' : 'events',
    horizonDays: o.horizonDays,
    cutoffs: cutoffs.map((c) => new Date(c).toISOString().slice(0, 10)),
    results,
  };
}
