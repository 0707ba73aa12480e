import { DEFAULT_RULE_SET, type RuleSet } from '@rp/risk';
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
  const simulated = simulationLabels(sim);
  const truth = simulated.machines as GroundTruth[];
  // The default rules with a 300 km service area around each simulated branch: MACHINE_RELOCATED sees moves.
  const rules: RuleSet = {
    ...DEFAULT_RULE_SET,
    version: 'areas',
    serviceAreas: Object.fromEntries(
      simulated.branches.map((b) => [b.id, { lat: b.latitude, lon: b.longitude, radiusKm: 300 }]),
    ),
  };
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
    byTruth = await runBacktest(h.ds, { ...options, ruleSets: [rules], truth });
    expect(formatBacktest(byTruth)).toMatch(/^Backtest over \d+ monthly cut-offs/);
  });

  afterAll(() => h.close());

  it('labels each eligible machine at each cut-off from the ground truth, as counted by hand', async () => {
    expect(byTruth.cutoffs.length).toBeGreaterThan(6);
    let population = 0;
    let positives = 0;
    let soldBefore = 0;
    let relocated = 0;
    let parked = 0;
    const known = new Map(truth.map((t) => [t.serialNumber, t]));
    for (const c of byTruth.cutoffs.map((d) => Date.parse(`${d}T00:00:00Z`))) {
      for (const u of await loadPopulation(h.ds, c, { ...options, ruleSet: rules })) {
        const t = known.get(u.serialNumber)!;
        const end = c + 180 * DAY;
        // Parked at the horizon's end (telematics): left out. Sold within the horizon: left out.
        // Relocated (first fix from the new site) over 30 whole days before its end: left out.
        // Sold before the cut-off: the buyer's unit.
        const sold = t.soldAt ? Date.parse(t.soldAt) : null;
        if (u.parked) {
          parked++;
          continue;
        }
        if (sold !== null && sold > c && sold <= end) continue;
        if (t.relocatedAt && end - Date.parse(t.relocatedAt) >= 31 * DAY) {
          relocated++;
          continue;
        }
        if (sold !== null && sold <= c) soldBefore++;
        population++;
        if (t.lapsedAt !== null && Date.parse(t.lapsedAt) <= c) positives++;
      }
    }
    const s = byTruth.results[0].scores.overall;
    expect(s.population).toBe(population);
    expect(s.positives).toBe(positives);
    expect(byTruth.definition.leftOutCounts).toEqual({
      parked,
      relocated,
      soldPerTruth: 0,
      noTruthEntry: 0,
    });
    expect(positives).toBeGreaterThan(0);
    expect(soldBefore).toBeGreaterThan(0);
    expect(relocated).toBeGreaterThan(0);
    expect(parked).toBeGreaterThan(0);
  });

  it('scores are consistent and the default rules find lapses better than chance', () => {
    const s = byTruth.results[0].scores;
    expect(s.overall.truePositives).toBeLessThanOrEqual(s.overall.positives);
    expect(s.overall.precision).toBeCloseTo(s.overall.truePositives / s.overall.flagged, 10);
    expect(s.overall.recall).toBeCloseTo(s.overall.truePositives / s.overall.positives, 10);
    expect(s.overall.lift).toBeGreaterThan(1);
    const top = s.topK[0];
    // 5 per branch and cut-off, 2 branches.
    expect(top.flagged).toBeLessThanOrEqual(2 * 5 * byTruth.cutoffs.length);
  });

  it('labels derived from the events agree exactly with the ground truth: same population, same positives', async () => {
    const derived = await runBacktest(h.ds, { ...options, ruleSets: [rules] });
    const d = derived.results[0].scores.overall;
    const t = byTruth.results[0].scores.overall;
    expect(derived.labels).toBe('events');
    expect(d.population).toBe(t.population);
    expect(d.positives).toBe(t.positives);
    expect(derived.results[0].scores).toEqual(byTruth.results[0].scores);
    expect(derived.definition.leftOutCounts).toEqual({
      parked: byTruth.definition.leftOutCounts.parked,
      relocated: byTruth.definition.leftOutCounts.relocated,
    });
    expect(derived.definition.branchesWithoutServiceArea).toEqual([]);
    expect(formatBacktest(derived)).toContain(
      '  known at a cut-off = by event time (occurredAt): a fact that happened before it but arrived later counts as known\n',
    );
  });

  it('refuses a labels file of another history: none matches, or the owners disagree', async () => {
    const otherDealer = simulationLabels({ ...sim, dealerId: 'someone-else' }).machines as GroundTruth[];
    await expect(runBacktest(h.ds, { ...options, ruleSets: [rules], truth: otherDealer })).rejects.toThrow(
      /^--labels: none of the \d+ machine-months matches a machine of the labels file/,
    );
    const otherSeed = simulationLabels({ ...sim, seed: 12 }).machines as GroundTruth[];
    await expect(runBacktest(h.ds, { ...options, ruleSets: [rules], truth: otherSeed })).rejects.toThrow(
      /^--labels: owners disagree for \d+ machine-months, e\.g\. /,
    );
  });

  it('--dealer scores only that dealer: another dealer has no cut-off', async () => {
    const only = await runBacktest(h.ds, { ...options, ruleSets: [rules], truth, dealerId: 'bt-dealer' });
    expect(only.results[0].scores).toEqual(byTruth.results[0].scores);
    const none = await runBacktest(h.ds, { ...options, ruleSets: [rules], truth, dealerId: 'nobody' });
    expect(none.cutoffs).toEqual([]);
  });

  it('a rule set with one threshold changed differs exactly in that detector', async () => {
    const draft = {
      ...rules,
      version: 'draft-pw400',
      thresholds: {
        ...rules.thresholds,
        postWarrantyNoService: {
          ...rules.thresholds.postWarrantyNoService,
          minDays: 400,
          maxDays: 500,
        },
      },
    };
    const both = await runBacktest(h.ds, {
      ...options,
      ruleSets: [rules, draft],
      sources: ['active', 'draft.json'],
      truth,
    });
    expect(formatBacktest(both)).toContain(
      'Side by side: A = default@areas (active) vs B = default@draft-pw400 (draft.json)',
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
