import { fmt, pct, table } from '../report/table';
import type { BacktestResult } from './run-backtest';
import type { Score } from './metrics';

const lift = (x: number | null) => (x === null ? '—' : `${x.toFixed(2)}×`);
const cols = (s: Score) => [
  fmt(s.flagged),
  fmt(s.truePositives),
  pct(s.precision),
  pct(s.recall),
  lift(s.lift),
];

/** The backtest for a person: summary first (one line per rule set), then top-K and per-reason tables. */
export function formatBacktest(r: BacktestResult): string {
  const out: string[] = [];
  const first = r.results[0]?.scores.overall;
  out.push(
    `Backtest over ${r.cutoffs.length} monthly cut-offs (${r.cutoffs[0] ?? '—'} … ${r.cutoffs.at(-1) ?? '—'}), schema ${r.schema}`,
  );
  out.push(
    `  lapse = no dealer parts or service purchase within ${r.horizonDays} days while the machine runs and is not sold; labels from ${r.labels}`,
  );
  if (first) {
    out.push(
      `  population: ${fmt(first.population)} machine-months, ${fmt(first.positives)} lapsed (base rate ${pct(first.population ? first.positives / first.population : null)})`,
    );
  }
  for (const x of r.results) {
    const s = x.scores.overall;
    out.push(
      `  ${x.ruleSet}: precision ${pct(s.precision)}, recall ${pct(s.recall)}, lift ${lift(s.lift)} (${fmt(s.flagged)} flagged)`,
    );
  }
  const head = ['', 'flagged', 'lapsed', 'precision', 'recall', 'lift'];
  for (const x of r.results) {
    out.push('', `Rule set ${x.ruleSet}`);
    out.push(
      table(head, [
        ['all flagged', ...cols(x.scores.overall)],
        ...x.scores.topK.map((t) => [`top ${t.k} per month`, ...cols(t)]),
        ...x.scores.byReason.map((b) => [b.reason, ...cols(b)]),
      ]),
    );
  }
  if (r.results.length === 2) {
    const [a, b] = r.results;
    const reasons = [...new Set([...a.scores.byReason, ...b.scores.byReason].map((x) => x.reason))].sort();
    const find = (s: typeof a, reason: string) => s.scores.byReason.find((x) => x.reason === reason);
    out.push('', `Side by side: ${a.ruleSet} vs ${b.ruleSet}`);
    out.push(
      table(
        ['', `flagged A`, `flagged B`, `precision A`, `precision B`, `recall A`, `recall B`],
        [
          ['all flagged', a.scores.overall, b.scores.overall] as const,
          ...reasons.map((r2) => [r2, find(a, r2), find(b, r2)] as const),
        ].map(([name, x, y]) => [
          name,
          fmt(x?.flagged ?? 0),
          fmt(y?.flagged ?? 0),
          pct(x?.precision ?? null),
          pct(y?.precision ?? null),
          pct(x?.recall ?? null),
          pct(y?.recall ?? null),
        ]),
      ),
    );
  }
  return out.join('\n') + '\n';
}
