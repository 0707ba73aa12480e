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
  if (r.toClampedTo) {
    out.push(
      `  --to moved back to ${r.toClampedTo}: a later cut-off's ${r.horizonDays}-day horizon would run past the data (it ends ${r.dataEnd})`,
    );
  }
  const def = r.definition;
  if (def.dealerId !== undefined) out.push(`  dealer ${def.dealerId}`);
  out.push(
    `  lapse = no dealer parts or service purchase within ${r.horizonDays} days while the machine runs and is not sold; labels from ${r.labels}`,
    `  known at a cut-off = by event time (occurredAt): a fact that happened before it but arrived later counts as known`,
    `  left out: ${def.leftOut.join('; ')}`,
  );
  if (def.branchesWithoutServiceArea.length > 0) {
    out.push(
      `  no service area in the rule set (relocation not seen) for ${def.branchesWithoutServiceArea.join(', ')}`,
    );
  }
  if (first) {
    const n = def.leftOutCounts;
    const left = [
      `parked ${fmt(n.parked)}`,
      `relocated ${fmt(n.relocated)}`,
      ...(n.soldPerTruth !== undefined ? [`sold per the labels ${fmt(n.soldPerTruth)}`] : []),
      ...(n.noTruthEntry !== undefined ? [`not in the labels file ${fmt(n.noTruthEntry)}`] : []),
    ];
    out.push(
      `  population: ${fmt(first.population)} machine-months, ${fmt(first.positives)} lapsed (base rate ${pct(first.population ? first.positives / first.population : null)}); left out: ${left.join(', ')}`,
    );
  }
  const sides = r.results.length === 2 ? ['A', 'B'] : [''];
  const desc = (x: (typeof r.results)[number]) => `${x.ruleSet}${x.source ? ` (${x.source})` : ''}`;
  const name = (x: (typeof r.results)[number], i: number) => `${sides[i] ? `${sides[i]} = ` : ''}${desc(x)}`;
  r.results.forEach((x, i) => {
    const s = x.scores.overall;
    out.push(
      `  ${name(x, i)}: precision ${pct(s.precision)}, recall ${pct(s.recall)}, lift ${lift(s.lift)} (${fmt(s.flagged)} flagged)`,
    );
  });
  const head = ['', 'flagged', 'lapsed', 'precision', 'recall', 'lift'];
  for (const [i, x] of r.results.entries()) {
    out.push('', `Rule set ${name(x, i)}`);
    out.push(
      table(head, [
        ['all flagged', ...cols(x.scores.overall)],
        ...x.scores.topK.map((t) => [`top ${t.k} per branch and month`, ...cols(t)]),
        ...x.scores.byReason.map((b) => [b.reason, ...cols(b)]),
      ]),
    );
  }
  if (r.results.length === 2) {
    const [a, b] = r.results;
    const reasons = [...new Set([...a.scores.byReason, ...b.scores.byReason].map((x) => x.reason))].sort();
    const ks = [...new Set([...a.scores.topK, ...b.scores.topK].map((t) => t.k))].sort((x, y) => x - y);
    const byReason = (s: typeof a, reason: string) => s.scores.byReason.find((x) => x.reason === reason);
    const topK = (s: typeof a, k: number) => s.scores.topK.find((t) => t.k === k);
    out.push('', `Side by side: A = ${desc(a)} vs B = ${desc(b)}`);
    const rows: (readonly [string, Score | undefined, Score | undefined])[] = [
      ['all flagged', a.scores.overall, b.scores.overall],
      ...ks.map((k) => [`top ${k} per branch and month`, topK(a, k), topK(b, k)] as const),
      ...reasons.map((x) => [x, byReason(a, x), byReason(b, x)] as const),
    ];
    out.push(
      table(
        [
          '',
          'flagged A',
          'flagged B',
          'precision A',
          'precision B',
          'recall A',
          'recall B',
          'lift A',
          'lift B',
        ],
        rows.map(([label, x, y]) => [
          label,
          fmt(x?.flagged ?? 0),
          fmt(y?.flagged ?? 0),
          pct(x?.precision ?? null),
          pct(y?.precision ?? null),
          pct(x?.recall ?? null),
          pct(y?.recall ?? null),
          lift(x?.lift ?? null),
          lift(y?.lift ?? null),
        ]),
      ),
    );
  }
  return out.join('\n') + '\n';
}
