import type { DataSource } from 'typeorm';
import { resolveRules, type RuleSet } from '@rp/risk';
import { scoreBacktest, unitKey, type BacktestScores, type CutoffCase } from './metrics';
import {
  loadPopulation,
  truthLabels,
  type GroundTruth,
  type PopulationOptions,
  type PopulationUnit,
} from './population';
import { ReplayOptionError } from '../plan/position';
import { predict } from './predict';

/**
 * A backtest that cannot be scored as asked (a labels file of another history): a usage error, so the
 * CLI reports it in one line and exits 2 (ReplayOptionError is the package's exported usage error).
 */
const BacktestInputError = ReplayOptionError;

export interface BacktestOptions extends Omit<PopulationOptions, 'ruleSet'> {
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

/** Who the population leaves out, and the rule that decides what is known at a cut-off. */
export interface BacktestDefinition {
  /**
   * Facts count as known at a cut-off by their event time (occurredAt) alone: one that happened before
   * the cut-off but reached the pipeline after it (late telematics) counts as known, which live
   * scoring (watermark + allowed lateness) would have missed. Scores can look a little better than live.
   */
  knownBy: 'event time';
  /** The dealer scored (undefined: every dealer of the schema). */
  dealerId?: string;
  /** Each exclusion, as one line for the table header. */
  leftOut: string[];
  /** Units left out, summed over cut-offs. */
  leftOutCounts: {
    parked: number;
    relocated: number;
    /** ground-truth mode: sold in the horizon per the truth (the events already leave those out). */
    soldPerTruth?: number;
    /** ground-truth mode: no entry in the labels file. */
    noTruthEntry?: number;
  };
  /** Branches (dealer/branch) without a service area in the rule set: relocation is not seen there. */
  branchesWithoutServiceArea: string[];
}

export interface BacktestResult {
  schema: string;
  labels: 'events' | 'ground-truth';
  horizonDays: number;
  definition: BacktestDefinition;
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
  o: Pick<BacktestOptions, 'fromMs' | 'toMs' | 'horizonDays' | 'dealerId'>,
): Promise<CutoffWindow> {
  const [r] = await ds.query<{ first: Date | null; last: Date | null }[]>(
    `SELECT min(COALESCE(delivered_at, owner_since)) AS first, max(last_telematics_at) AS last
       FROM machines WHERE $1::text IS NULL OR dealer_id = $1`,
    [o.dealerId ?? null],
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
  const ruleSet = o.ruleSets[0];
  const outsideDays = (dealerId: string) =>
    resolveRules(ruleSet, dealerId).thresholds.machineRelocated.outsideDays;
  const counts = { parked: 0, relocated: 0, soldPerTruth: 0, noTruthEntry: 0 };
  const populations = new Map<number, PopulationUnit[]>();
  const truthByCutoff = new Map<number, Map<string, boolean>>();
  const mismatches: { cutoff: number; unit: PopulationUnit; truthOwner: string }[] = [];
  const noArea = new Set<string>();
  let loaded = 0;
  for (const c of cutoffs) {
    const all = await loadPopulation(ds, c, { ...o, ruleSet });
    for (const u of all) {
      const areas = resolveRules(ruleSet, u.dealerId).serviceAreas;
      if (!Object.prototype.hasOwnProperty.call(areas, u.branchId ?? ''))
        noArea.add(`${u.dealerId}/${u.branchId ?? '(none)'}`);
    }
    loaded += all.length;
    // Still running (both modes): not parked at the horizon's end.
    let units = all.filter((u) => !u.parked);
    counts.parked += all.length - units.length;
    if (o.truth) {
      const m = truthLabels(units, o.truth, c, o.horizonDays, outsideDays);
      counts.noTruthEntry += m.unmatched;
      counts.soldPerTruth += m.excluded.sold;
      counts.relocated += m.excluded.relocated;
      mismatches.push(...m.ownerMismatches.map((x) => ({ cutoff: c, ...x })));
      truthByCutoff.set(c, m.labels);
      units = units.filter((u) => m.labels.has(unitKey(u)));
    } else {
      const before = units.length;
      units = units.filter((u) => !u.relocated);
      counts.relocated += before - units.length;
    }
    populations.set(c, units);
  }
  if (o.truth) checkTruth(loaded - counts.parked, counts.noTruthEntry, mismatches);
  const flags = await predict(ds, populations, o.ruleSets);
  const results = o.ruleSets.map((rs, i) => {
    const cases: CutoffCase[] = cutoffs.map((c) => {
      const units = populations.get(c) ?? [];
      const labels = truthByCutoff.get(c) ?? new Map(units.map((u) => [unitKey(u), u.lapsed]));
      return { cutoffMs: c, labels, flags: flags[i].get(c) ?? [] };
    });
    return {
      ruleSet: `${rs.id}@${rs.version}`,
      ...(o.sources?.[i] !== undefined && { source: o.sources[i] }),
      scores: scoreBacktest(cases, o.topK),
    };
  });
  return {
    schema: (ds.options as { schema?: string }).schema ?? 'public',
    labels: o.truth ? 'ground-truth' : 'events',
    horizonDays: o.horizonDays,
    definition: definitionOf(o, ruleSet, counts, [...noArea].sort()),
    cutoffs: cutoffs.map((c) => new Date(c).toISOString().slice(0, 10)),
    ...(window.empty !== undefined && { empty: window.empty }),
    ...(window.clamped && cutoffs.length > 0 && { toClampedTo: day(cutoffs.at(-1)!).slice(0, 7) }),
    dataEnd: window.dataEndMs === null ? null : day(window.dataEndMs),
    results,
  };
}

/** A labels file of another history: none of the units matches, or an owner differs. */
function checkTruth(
  units: number,
  unmatched: number,
  mismatches: { cutoff: number; unit: PopulationUnit; truthOwner: string }[],
): void {
  if (units > 0 && unmatched === units) {
    throw new BacktestInputError(
      `--labels: none of the ${units} machine-months matches a machine of the labels file (dealerId and serialNumber); is it the labels of this history?`,
    );
  }
  if (mismatches.length > 0) {
    const [{ cutoff, unit, truthOwner }] = mismatches;
    throw new BacktestInputError(
      `--labels: owners disagree for ${mismatches.length} machine-months, e.g. ${unit.serialNumber} of ${unit.dealerId} ` +
        `at ${day(cutoff)} belongs to ${unit.customerId} in the data but to ${truthOwner} in the labels file; ` +
        'is it the labels of this history (same seed and options)?',
    );
  }
}

function definitionOf(
  o: BacktestOptions,
  ruleSet: RuleSet,
  counts: { parked: number; relocated: number; soldPerTruth: number; noTruthEntry: number },
  branchesWithoutServiceArea: string[],
): BacktestDefinition {
  const h = `${o.horizonDays} days`;
  const rs = `${ruleSet.id}@${ruleSet.version}`;
  const leftOut = [
    `sold within the ${h} (ownership.transferred)`,
    `not running: under ${o.minRunningHours} engine hours in the ${h}, or MACHINE_PARKED of ${rs} at its end (telematics, both label sources)`,
    o.truth
      ? `relocated: the labels' relocatedAt more than ${rs}'s machineRelocated.outsideDays before the horizon's end`
      : `relocated: MACHINE_RELOCATED of ${rs} at the horizon's end (outside the branch's service area for more than outsideDays)`,
  ];
  if (o.truth) leftOut.push('machines without an entry in the labels file');
  return {
    knownBy: 'event time',
    ...(o.dealerId !== undefined && { dealerId: o.dealerId }),
    leftOut,
    leftOutCounts: o.truth ? counts : { parked: counts.parked, relocated: counts.relocated },
    branchesWithoutServiceArea,
  };
}
