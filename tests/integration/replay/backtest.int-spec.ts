import { DEFAULT_RULE_SET } from '@rp/risk';
import {
  formatBacktest,
  loadPopulation,
  runBacktest,
  type BacktestResult,
  type GroundTruth,
} from '@rp/replay';
import { produceSimulation, simulateFleet, simulationLabels, type SimulationOptions } from '@rp/simulator';
import { countProcessed, ingestHarness, testConfig, waitFor, type IngestHarness } from '../../support';

const DAY = 86_400_000;

/** Backtest on a simulated history, ingested by the real pipeline, scored against the simulator's truth. */
describe('backtest', () => {
  const config = testConfig();
  const sim: SimulationOptions = {
    seed: 11,
    machines: 60,
    branches: 2,
    start: '2023-01-01',
    months: 24,
    historyMonths: 18,
    snapshotDays: 7,
    dealerId: 'bt-dealer',
  };
  const truth = simulationLabels(sim).machines as GroundTruth[];
  const options = { horizonDays: 180, minRunningHours: 50, topK: [5] };
  let h: IngestHarness;
  let byTruth: BacktestResult;

  beforeAll(async () => {
    h = await ingestHarness(config);
    const counts = await produceSimulation(h.producer, simulateFleet(sim), config.topics);
    const total = counts.telematics + counts.warranty + counts.service;
    await h.startConsumer();
    await waitFor(
      'the history to be applied',
      async () => (await countProcessed(h.ds, config.database.schema)) >= total,
      180_000,
      500,
    );
    byTruth = await runBacktest(h.ds, { ...options, ruleSets: [DEFAULT_RULE_SET], truth });
    expect(formatBacktest(byTruth)).toMatch(/^Backtest over \d+ monthly cut-offs/);
  });

  afterAll(() => h.close());

  it('labels each eligible machine at each cut-off from the ground truth, as counted by hand', async () => {
    expect(byTruth.cutoffs.length).toBeGreaterThan(6);
    let population = 0;
    let positives = 0;
    let soldBefore = 0;
    const known = new Map(truth.map((t) => [t.serialNumber, t]));
    for (const c of byTruth.cutoffs.map((d) => Date.parse(`${d}T00:00:00Z`))) {
      for (const u of await loadPopulation(h.ds, c, options)) {
        const t = known.get(u.serialNumber)!;
        const end = c + 180 * DAY;
        // Sold within the horizon, or parked by its end: left out. Sold before the cut-off: the buyer's unit.
        const sold = t.soldAt ? Date.parse(t.soldAt) : null;
        if ((sold !== null && sold > c && sold <= end) || (t.parkedAt && Date.parse(t.parkedAt) <= end))
          continue;
        if (sold !== null && sold <= c) soldBefore++;
        population++;
        if (t.lapsedAt !== null && Date.parse(t.lapsedAt) <= c) positives++;
      }
    }
    const s = byTruth.results[0].scores.overall;
    expect(s.population).toBe(population);
    expect(s.positives).toBe(positives);
    expect(positives).toBeGreaterThan(0);
    expect(soldBefore).toBeGreaterThan(0);
  });

  it('scores are consistent and the default rules find lapses better than chance', () => {
    const s = byTruth.results[0].scores;
    expect(s.overall.truePositives).toBeLessThanOrEqual(s.overall.positives);
    expect(s.overall.precision).toBeCloseTo(s.overall.truePositives / s.overall.flagged, 10);
    expect(s.overall.recall).toBeCloseTo(s.overall.truePositives / s.overall.positives, 10);
    expect(s.overall.lift).toBeGreaterThan(1);
    const top = s.topK[0];
    expect(top.flagged).toBeLessThanOrEqual(5 * byTruth.cutoffs.length);
  });

  it('labels derived from the events agree with the ground truth for most machine-months', async () => {
    const derived = await runBacktest(h.ds, { ...options, ruleSets: [DEFAULT_RULE_SET] });
    const d = derived.results[0].scores.overall;
    const t = byTruth.results[0].scores.overall;
    expect(derived.labels).toBe('events');
    expect(d.population).toBeGreaterThanOrEqual(t.population);
    expect(Math.abs(d.positives / d.population - t.positives / t.population)).toBeLessThan(0.15);
  });

  it('a rule set with one threshold changed differs exactly in that detector', async () => {
    const draft = {
      ...DEFAULT_RULE_SET,
      version: 'draft-pw400',
      thresholds: {
        ...DEFAULT_RULE_SET.thresholds,
        postWarrantyNoService: {
          ...DEFAULT_RULE_SET.thresholds.postWarrantyNoService,
          minDays: 400,
          maxDays: 500,
        },
      },
    };
    const both = await runBacktest(h.ds, {
      ...options,
      ruleSets: [DEFAULT_RULE_SET, draft],
      sources: ['active', 'draft.json'],
      truth,
    });
    expect(formatBacktest(both)).toContain(
      'Side by side: A = default@1 (active) vs B = default@draft-pw400 (draft.json)',
    );
    const [a, b] = both.results.map((r) => new Map(r.scores.byReason.map((x) => [x.reason, x])));
    expect(a.get('POST_WARRANTY_NO_SERVICE')?.flagged ?? 0).toBeGreaterThan(
      b.get('POST_WARRANTY_NO_SERVICE')?.flagged ?? 0,
    );
    for (const [reason, x] of a) {
      if (reason !== 'POST_WARRANTY_NO_SERVICE') expect(b.get(reason)).toEqual(x);
    }
    // The first column is the same rule set as before.
    expect(both.results[0]).toEqual({ ...byTruth.results[0], source: 'active' });
  });
});
