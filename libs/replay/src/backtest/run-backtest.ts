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
  /** Where each rule set came from (file name), shown beside its id@version. */
  sources?: string[];
  /** Labels from the simulator's ground truth instead of the events after each cut-off. */
  truth?: GroundTruth[];
}

export interface BacktestResult {
  schema: string;
  labels: 'events' | 'ground-truth';
  horizonDays: number;
  cutoffs: string[];
  /** Why there is no cut-off (the CLI exits non-zero), and whether --to was moved back. */
  empty?: string;
  /** The last cut-off `--to` was moved back to (its horizon would have run past the data). */
  toClampedTo?: string;
  dataEnd: string | null;
  /** Each rule set, with where it came from (a file name, or "active") to tell equal ids apart. */
  results: { ruleSet: string; source?: string; scores: BacktestScores }[];
}

const DAY = 86_400_000;
const monthStart = (ms: number, add = 0): number => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1);
};

/** Which monthly cut-offs a backtest can score, and why not when none. */
export interface CutoffWindow {
  cutoffs: number[];
  /** The newest event time of the data (null: no machine data). */
  dataEndMs: number | null;
  /** The latest instant a cut-off may have: its whole horizon lies inside the data. */
  lastAllowedMs: number | null;
  /** `--to` was after the last allowed cut-off and was moved back to it. */
  clamped: boolean;
  /** Why there is no cut-off; undefined when there are some. */
  empty?: string;
}

const day = (ms: number): string =>
  Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString().slice(0, 10) : ms < 0 ? 'before any date' : 'never';
const month = (ms: number): string => day(ms).slice(0, 7);

/**
 * Monthly cut-offs whose whole horizon lies inside the data, so no cut-off sees a truncated future (pure).
 * `first`/`last`: the earliest machine date and the newest telematics reading.
 */
export function planCutoffs(
  data: { firstMs: number | null; lastMs: number | null },
  o: Pick<BacktestOptions, 'fromMs' | 'toMs' | 'horizonDays'>,
): CutoffWindow {
  if (data.firstMs === null || data.lastMs === null) {
    return {
      cutoffs: [],
      dataEndMs: null,
      lastAllowedMs: null,
      clamped: false,
      empty: 'the schema has no machine with a delivery date and telematics readings',
    };
  }
  if (o.fromMs !== undefined && o.toMs !== undefined && o.fromMs > o.toMs) {
    return {
      cutoffs: [],
      dataEndMs: data.lastMs,
      lastAllowedMs: null,
      clamped: false,
      empty: `--from ${month(o.fromMs)} is after --to ${month(o.toMs)}`,
    };
  }
  const lastAllowed = data.lastMs - o.horizonDays * DAY;
  const from = o.fromMs ?? monthStart(data.firstMs, 1);
  const to = Math.min(o.toMs ?? Infinity, lastAllowed);
  const cutoffs: number[] = [];
  if (Number.isFinite(to)) {
    for (let c = monthStart(from); c <= to; c = monthStart(c, 1)) if (c >= from) cutoffs.push(c);
  }
  const clamped = o.toMs !== undefined && o.toMs > lastAllowed;
  const window = { cutoffs, dataEndMs: data.lastMs, lastAllowedMs: lastAllowed, clamped };
  if (cutoffs.length > 0) return window;
  return {
    ...window,
    empty:
      `the data ends ${day(data.lastMs)}, so with a ${o.horizonDays}-day horizon the last cut-off could be ` +
      `${day(lastAllowed)}, before the first one (${month(from)}); choose a shorter --horizon-days or an earlier --from`,
  };
}

/** The cut-offs of the data in `ds` (see planCutoffs). */
export async function cutoffsOf(
  ds: DataSource,
  o: Pick<BacktestOptions, 'fromMs' | 'toMs' | 'horizonDays'>,
): Promise<CutoffWindow> {
  const [r] = await ds.query<{ first: Date | null; last: Date | null }[]>(
    `SELECT (SELECT min(COALESCE(delivered_at, owner_since)) FROM machines) AS first,
            (SELECT max(last_telematics_at) FROM machines) AS last`,
  );
  const ms = (d: Date | null | undefined) => (d ? new Date(d).getTime() : null);
  return planCutoffs({ firstMs: ms(r?.first), lastMs: ms(r?.last) }, o);
}

/**
 * Backtest: at each monthly cut-off, which units each rule set flags (facts before the cut-off only)
 * against what happened in the horizon after it; precision, recall and lift overall, at top-K and per
 * reason. Reads the projections of `ds`'s schema (live or a replay); writes nothing but the dealer's
 * fitted P(alive) models, which are a deterministic cache.
 */
export async function runBacktest(ds: DataSource, o: BacktestOptions): Promise<BacktestResult> {
  const window = await cutoffsOf(ds, o);
  const { cutoffs } = window;
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
    return {
      ruleSet: `${ruleSet.id}@${ruleSet.version}`,
      ...(o.sources?.[i] !== undefined && { source: o.sources[i] }),
      scores: scoreBacktest(cases, o.topK),
    };
  });
  return {
    schema: (ds.options as { schema?: string }).schema ?? 'public',
    labels: o.truth ? 'ground-truth' : 'events',
    horizonDays: o.horizonDays,
    cutoffs: cutoffs.map((c) => new Date(c).toISOString().slice(0, 10)),
    ...(window.empty !== undefined && { empty: window.empty }),
    ...(window.clamped && cutoffs.length > 0 && { toClampedTo: day(cutoffs.at(-1)!).slice(0, 7) }),
    dataEnd: window.dataEndMs === null ? null : day(window.dataEndMs),
    results,
  };
}
