import { DEFAULT_RULE_SET } from '@rp/risk';
import { formatBacktest } from './format-backtest';
import { scoreBacktest, unitKey } from './metrics';
import { truthLabels, type PopulationUnit } from './population';
import { planCutoffs, type BacktestResult } from './run-backtest';

const D = (s: string) => Date.parse(`${s}T00:00:00Z`);
const data = { firstMs: D('2024-01-15'), lastMs: D('2025-12-20') };

describe('planCutoffs', () => {
  it('takes the months between --from and --to whose horizon lies in the data', () => {
    const w = planCutoffs(data, { fromMs: D('2025-01-01'), toMs: D('2025-03-01'), horizonDays: 180 });
    expect(w.cutoffs).toEqual([D('2025-01-01'), D('2025-02-01'), D('2025-03-01')]);
    expect(w.clamped).toBe(false);
    expect(w.empty).toBeUndefined();
  });

  it('says so when --to is moved back to the last cut-off the data allows', () => {
    const w = planCutoffs(data, { fromMs: D('2025-05-01'), toMs: D('2026-06-01'), horizonDays: 180 });
    expect(w.cutoffs.map((c) => new Date(c).toISOString().slice(0, 7))).toEqual(['2025-05', '2025-06']);
    expect(w.clamped).toBe(true);
  });

  it('gives the reason when no cut-off is left', () => {
    expect(
      planCutoffs(data, { fromMs: D('2025-06-01'), toMs: D('2024-01-01'), horizonDays: 180 }).empty,
    ).toBe('--from 2025-06 is after --to 2024-01');
    expect(planCutoffs(data, { horizonDays: 1e9 })).toMatchObject({
      cutoffs: [],
      empty:
        'the data ends 2025-12-20, so with a 1000000000-day horizon the last cut-off could be before any date, ' +
        'before the first one (2024-02); choose a shorter --horizon-days or an earlier --from',
    });
    expect(planCutoffs({ firstMs: null, lastMs: null }, { horizonDays: 180 }).empty).toBe(
      'the schema has no machine with a delivery date and telematics readings',
    );
  });
});

describe('truthLabels', () => {
  const unit = (serial: string, customerId = 'c'): PopulationUnit => ({
    dealerId: 'd',
    customerId,
    serialNumber: serial,
    branchId: null,
    lapsed: false,
    parked: false,
    relocated: false,
  });
  const c = D('2025-03-01');

  it('keeps a machine sold before the cut-off (the buyer’s unit), leaves out one sold in the horizon and unknown ones', () => {
    const m = truthLabels(
      ['sold-before', 'sold-within', 'sold-after', 'parked-before', 'lapsed', 'unknown'].map((s) => unit(s)),
      [
        { dealerId: 'd', serialNumber: 'sold-before', lapsedAt: null, soldAt: '2025-01-10T00:00:00Z' },
        { dealerId: 'd', serialNumber: 'sold-within', lapsedAt: null, soldAt: '2025-04-10T00:00:00Z' },
        { dealerId: 'd', serialNumber: 'sold-after', lapsedAt: null, soldAt: '2025-12-10T00:00:00Z' },
        // Parked or not is the telematics' call in both modes (PopulationUnit.parked), not the truth's.
        { dealerId: 'd', serialNumber: 'parked-before', lapsedAt: null, parkedAt: '2025-01-10T00:00:00Z' },
        { dealerId: 'd', serialNumber: 'lapsed', lapsedAt: '2025-02-10T00:00:00Z' },
      ],
      c,
      180,
    );
    expect([...m.labels].map(([k, v]) => [k.split('\u0000')[2], v])).toEqual([
      ['sold-before', false],
      ['sold-after', false],
      ['parked-before', false],
      ['lapsed', true],
    ]);
    expect(m.labels.get(unitKey(unit('lapsed')))).toBe(true);
    expect(m.unmatched).toBe(1);
    expect(m.excluded).toEqual({ sold: 1, relocated: 0 });
  });

  it('leaves out a machine relocated more than outsideDays whole days before the horizon’s end', () => {
    // Horizon end: 2025-08-28T00:00Z (c + 180 days). outsideDays 30: relocated by 2025-07-28T00:00Z or earlier.
    const m = truthLabels(
      ['early', 'edge', 'late', 'after'].map((s) => unit(s)),
      [
        { dealerId: 'd', serialNumber: 'early', lapsedAt: null, relocatedAt: '2024-12-01T18:00:00Z' },
        { dealerId: 'd', serialNumber: 'edge', lapsedAt: null, relocatedAt: '2025-07-28T00:00:00Z' },
        { dealerId: 'd', serialNumber: 'late', lapsedAt: null, relocatedAt: '2025-07-28T00:00:01Z' },
        { dealerId: 'd', serialNumber: 'after', lapsedAt: null, relocatedAt: '2025-09-01T18:00:00Z' },
      ],
      c,
      180,
      () => 30,
    );
    expect([...m.labels.keys()].map((k) => k.split('\u0000')[2])).toEqual(['late', 'after']);
    expect(m.excluded).toEqual({ sold: 0, relocated: 2 });
  });

  it('reports units whose owner at the cut-off differs from the truth’s', () => {
    const m = truthLabels(
      [unit('same', 'c-1'), unit('bought', 'c-2'), unit('other', 'c-9')],
      [
        { dealerId: 'd', serialNumber: 'same', lapsedAt: null, customerId: 'c-1', finalCustomerId: 'c-1' },
        {
          dealerId: 'd',
          serialNumber: 'bought',
          lapsedAt: null,
          customerId: 'c-1',
          finalCustomerId: 'c-2',
          soldAt: '2025-01-10T00:00:00Z',
        },
        { dealerId: 'd', serialNumber: 'other', lapsedAt: null, customerId: 'c-3', finalCustomerId: 'c-3' },
      ],
      c,
      180,
    );
    expect(m.ownerMismatches.map((x) => [x.unit.serialNumber, x.truthOwner])).toEqual([['other', 'c-3']]);
  });
});

describe('formatBacktest, two rule sets side by side', () => {
  const u = (s: string) => ({ dealerId: 'd', customerId: 'c', serialNumber: s });
  const labels = new Map([
    [unitKey(u('A')), true],
    [unitKey(u('B')), false],
    [unitKey(u('C')), true],
    [unitKey(u('D')), false],
  ]);
  const flag = (s: string, priority: number) => ({ unit: u(s), reasons: ['PURCHASE_GAP'], priority });
  const scoresA = scoreBacktest(
    [{ cutoffMs: D('2025-01-01'), labels, flags: [flag('A', 2), flag('B', 1)] }],
    [1],
  );
  const scoresB = scoreBacktest(
    [{ cutoffMs: D('2025-01-01'), labels, flags: [flag('A', 1), flag('C', 2)] }],
    [1],
  );
  const id = `${DEFAULT_RULE_SET.id}@${DEFAULT_RULE_SET.version}`;
  const result: BacktestResult = {
    schema: 'live',
    labels: 'events',
    horizonDays: 180,
    definition: {
      knownBy: 'event time',
      leftOut: ['sold within the 180 days'],
      leftOutCounts: { parked: 0, relocated: 0 },
      branchesWithoutServiceArea: [],
    },
    cutoffs: ['2025-01-01'],
    toClampedTo: '2025-01',
    dataEnd: '2025-07-20',
    results: [
      { ruleSet: id, source: 'active', scores: scoresA },
      { ruleSet: id, source: 'draft.json', scores: scoresB },
    ],
  };

  it('labels the sides A and B with their files and compares lift and top-K too', () => {
    const text = formatBacktest(result);
    expect(text).toContain(
      '  known at a cut-off = by event time (occurredAt): a fact that happened before it but arrived later counts as known\n',
    );
    expect(text).toContain('  left out: sold within the 180 days\n');
    expect(text).toContain(
      "  --to moved back to 2025-01: a later cut-off's 180-day horizon would run past the data (it ends 2025-07-20)\n",
    );
    expect(text).toContain(`  A = ${id} (active): precision 50.0 %, recall 50.0 %, lift 1.00× (2 flagged)\n`);
    expect(text).toContain(
      `  B = ${id} (draft.json): precision 100.0 %, recall 100.0 %, lift 2.00× (2 flagged)\n`,
    );
    const side = text.slice(text.indexOf('Side by side'));
    expect(side).toBe(
      [
        `Side by side: A = ${id} (active) vs B = ${id} (draft.json)`,
        '                            flagged A  flagged B  precision A  precision B  recall A  recall B  lift A  lift B',
        '--------------------------  ---------  ---------  -----------  -----------  --------  --------  ------  ------',
        'all flagged                         2          2       50.0 %      100.0 %    50.0 %   100.0 %   1.00×   2.00×',
        'top 1 per branch and month          1          1      100.0 %      100.0 %    50.0 %    50.0 %   2.00×   2.00×',
        'PURCHASE_GAP                        2          2       50.0 %      100.0 %    50.0 %   100.0 %   1.00×   2.00×',
        '',
      ].join('\n'),
    );
  });
});
