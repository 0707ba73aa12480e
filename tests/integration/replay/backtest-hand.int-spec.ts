import { DEFAULT_RULE_SET, REASON_CODES, type RuleSet } from '@rp/risk';
import { runBacktest, type GroundTruth, type Score } from '@rp/replay';
import {
  produceSimulation,
  simulateFleet,
  type SimRecord,
  type SimulationOptions,
  type SimulationResult,
} from '@rp/simulator';
import { countProcessed, ingestHarness, testConfig, waitFor, type IngestHarness } from '../../support';

const DAY = 86_400_000;
const ms = (iso: string): number => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
/** A UTC midnight as its date, any other instant in full. */
const instant = (t: number): string =>
  new Date(t)
    .toISOString()
    .replace(/T00:00:00\.000Z$/, '')
    .replace('.000Z', 'Z');

/**
 * Issue #6: "precision and recall computed against the simulator's labels match a hand-computed small case
 * exactly". Five machines of one dealer, behaviours fixed by the mix (no sale, parking, relocation or
 * contract), replayed through the real pipeline and scored against the labels with a rule set in which only
 * POST_WARRANTY_NO_SERVICE is enabled, its due time pinned to coverage end + 14 days: minDays = 14 and a
 * service interval of 1 h, which every machine's meter passes within a week (one snapshot) of its last dealer
 * service, so max(14 days, time to the next interval) is 14 days (the wait to the interval is not capped by
 * maxDays, so maxDays cannot pin it).
 * The expected scores are written out below from the events and the labels, and checked against them by a
 * hand application of the rule; the backtest must give exactly those numbers.
 */
describe('backtest: a hand-computed small case on a simulated history', () => {
  const config = testConfig();
  const sim: SimulationOptions = {
    seed: 11,
    machines: 5,
    customers: 5,
    branches: 1,
    start: '2023-01-01',
    months: 18,
    historyMonths: 24,
    snapshotDays: 7,
    dealerId: 'bt-hand',
    behaviourMix: { loyal: 2, 'leaves-after-warranty': 2, 'self-maintaining': 1 },
  };
  const PW_DAYS = 14;
  const rules: RuleSet = {
    ...DEFAULT_RULE_SET,
    version: 'hand-pw14',
    disabled: REASON_CODES.filter((c) => c !== 'POST_WARRANTY_NO_SERVICE'),
    thresholds: {
      ...DEFAULT_RULE_SET.thresholds,
      service: { ...DEFAULT_RULE_SET.thresholds.service, intervalHours: 1 },
      postWarrantyNoService: { minDays: PW_DAYS, maxDays: PW_DAYS },
    },
  };
  const HORIZON_DAYS = 90;
  const MIN_RUNNING_HOURS = 50;
  const CUTOFFS = ['2023-03-01', '2023-04-01', '2023-05-01', '2023-06-01', '2023-07-01'];
  const options = { horizonDays: HORIZON_DAYS, minRunningHours: MIN_RUNNING_HOURS, topK: [1] };

  /**
   * Each machine as the events and the labels file show it:
   * - coverageEnd: the earliest of the registration's `endsAt` (a UTC midnight), the first snapshot reaching
   *   `hoursLimit` (none does by then) and `warranty.expired` (an hour after `endsAt`); no machine has a
   *   contract. Flagged from due = coverageEnd + 14 days,
   * - firstVisitAfter: the first `work-order.opened` at or after coverageEnd (a dealer labour visit: every
   *   simulated work order has labour), which ends the flag from then on,
   * - lapsedAt: from the labels file; a positive at cut-off c when lapsedAt <= c.
   * All five are delivered in 2021-22 and run ≥ 50 h in every 90-day horizon: eligible at every cut-off.
   */
  const MACHINES = [
    // self-maintaining: no dealer visit, buys parts (never lapses); warranty ends in 2024: never flagged here.
    {
      serial: 'JCB3CX-10001',
      behaviour: 'self-maintaining',
      coverageEnd: '2024-04-13',
      firstVisitAfter: null,
      lapsedAt: null,
    },
    {
      serial: 'L90H-10002',
      behaviour: 'self-maintaining',
      coverageEnd: '2024-03-28',
      firstVisitAfter: null,
      lapsedAt: null,
    },
    // loyal, first post-warranty service late: due 2023-01-21, flagged until the visit of 2023-06-19 (false positive).
    {
      serial: 'EC220-10003',
      behaviour: 'loyal',
      coverageEnd: '2023-01-07',
      firstVisitAfter: '2023-06-19T12:47:00Z',
      lapsedAt: null,
    },
    // leaves after warranty: last purchase (end-of-warranty inspection) 2023-04-16, positive from 2023-05-01;
    // due 2023-05-14: missed at 2023-05-01 (false negative), flagged from 2023-06-01 (true positive).
    {
      serial: 'S650-10004',
      behaviour: 'leaves-after-warranty',
      coverageEnd: '2023-04-30',
      firstVisitAfter: null,
      lapsedAt: '2023-04-16T15:18:00Z',
    },
    // loyal: due 2023-03-20, flagged until the visit of 2023-06-25 (false positive at 04-01, 05-01, 06-01).
    {
      serial: 'CAT320-10005',
      behaviour: 'loyal',
      coverageEnd: '2023-03-06',
      firstVisitAfter: '2023-06-25T11:34:00Z',
      lapsedAt: null,
    },
  ];

  /** Per cut-off: 5 eligible units each time; flagged = due <= c and no visit by c; TP = flagged and lapsed. */
  type Expected = Pick<
    Score,
    'population' | 'positives' | 'flagged' | 'truePositives' | 'precision' | 'recall'
  >;
  const EXPECTED: Record<string, Expected> = {
    // EC220-10003 flagged (FP); nobody lapsed yet: recall undefined.
    '2023-03-01': { population: 5, positives: 0, flagged: 1, truePositives: 0, precision: 0, recall: null },
    // + CAT320-10005 (FP).
    '2023-04-01': { population: 5, positives: 0, flagged: 2, truePositives: 0, precision: 0, recall: null },
    // S650-10004 lapsed but not yet due (FN); EC220-10003 and CAT320-10005 still flagged (FP).
    '2023-05-01': { population: 5, positives: 1, flagged: 2, truePositives: 0, precision: 0, recall: 0 },
    // S650-10004 flagged (TP) beside the two loyal machines (FP): 1 of 3, 1 of 1.
    '2023-06-01': { population: 5, positives: 1, flagged: 3, truePositives: 1, precision: 1 / 3, recall: 1 },
    // Both loyal machines were serviced in June: only S650-10004 (TP) is left.
    '2023-07-01': { population: 5, positives: 1, flagged: 1, truePositives: 1, precision: 1, recall: 1 },
  };
  // Summed over the five cut-offs: 25 units, 3 positives, 9 flags of which 2 true.
  const OVERALL: Expected = {
    population: 25,
    positives: 3,
    flagged: 9,
    truePositives: 2,
    precision: 2 / 9,
    recall: 2 / 3,
  };

  const records: SimRecord[] = [];
  let simulated: SimulationResult;
  let h: IngestHarness;

  beforeAll(async () => {
    const gen = simulateFleet(sim);
    let step = gen.next();
    for (; !step.done; step = gen.next()) records.push(step.value);
    simulated = step.value;
    h = await ingestHarness(config);
    await produceSimulation(h.producer, records, config.topics);
    await h.startConsumer();
    await waitFor(
      'the history to be applied',
      async () => (await countProcessed(h.ds, config.database.schema)) >= records.length,
      120_000,
      250,
    );
  });

  afterAll(() => h.close());

  const truth = (): GroundTruth[] => simulated.machines;
  const pick = (s: Score): Expected => ({
    population: s.population,
    positives: s.positives,
    flagged: s.flagged,
    truePositives: s.truePositives,
    precision: s.precision,
    recall: s.recall,
  });

  it('the written-out machine facts are what the events and the labels file say', () => {
    // Nothing but the five behaviours' events: no contract, sale, parking or relocation to account for.
    const types = new Set(records.map((r) => r.event.type));
    expect(types.has('warranty.extended')).toBe(false);
    expect(types.has('ownership.transferred')).toBe(false);
    const facts = simulated.machines.map((m) => {
      const of = (type: string) => records.filter((r) => r.event.type === type && r.key === m.serialNumber);
      const reg = of('warranty.registered')[0].event.data;
      const reached = of('telematics.snapshot').find(
        (r) => (r.event.data.cumulativeOperatingHours as number) >= (reg.hoursLimit as number),
      );
      const expired = of('warranty.expired').map((r) => ms(r.event.occurredAt));
      const end = Math.min(
        ms(reg.endsAt as string),
        reached ? ms(reached.event.occurredAt) : Infinity,
        ...expired,
      );
      const visit = of('work-order.opened')
        .map((r) => ms(r.event.occurredAt))
        .find((t) => t >= end);
      return {
        serial: m.serialNumber,
        behaviour: m.behaviour,
        coverageEnd: instant(end),
        firstVisitAfter: visit === undefined ? null : instant(visit),
        lapsedAt: m.lapsedAt,
      };
    });
    expect(facts).toEqual(MACHINES);
    for (const m of simulated.machines)
      expect([m.soldAt, m.parkedAt, m.relocatedAt]).toEqual([null, null, null]);
  });

  it('the expected scores follow from those facts by the rule, applied by hand', () => {
    const snapshots = (serial: string) =>
      records
        .filter((r) => r.event.type === 'telematics.snapshot' && r.key === serial)
        .map((r) => ({ at: ms(r.event.occurredAt), hours: r.event.data.cumulativeOperatingHours as number }));
    const registered = (serial: string) =>
      ms(
        records.find((r) => r.event.type === 'warranty.registered' && r.key === serial)!.event.data
          .startsAt as string,
      );
    const totals = { population: 0, positives: 0, flagged: 0, truePositives: 0 };
    for (const cutoff of CUTOFFS) {
      const c = ms(cutoff);
      const end = c + HORIZON_DAYS * DAY;
      const row = { population: 0, positives: 0, flagged: 0, truePositives: 0 };
      // One unit per machine (one owner each, none sold).
      for (const m of MACHINES) {
        // Eligible: delivered by c and ≥ 50 engine hours in (c, c + 90 d].
        const s = snapshots(m.serial);
        const before = Math.max(0, ...s.filter((x) => x.at <= c).map((x) => x.hours));
        const after = Math.max(...s.filter((x) => x.at > c && x.at <= end).map((x) => x.hours));
        if (registered(m.serial) > c || after - before < MIN_RUNNING_HOURS) continue;
        row.population++;
        const lapsed = m.lapsedAt !== null && ms(m.lapsedAt) <= c;
        const due = ms(m.coverageEnd) + PW_DAYS * DAY;
        const flagged = due <= c && (m.firstVisitAfter === null || ms(m.firstVisitAfter) > c);
        if (lapsed) row.positives++;
        if (flagged) row.flagged++;
        if (lapsed && flagged) row.truePositives++;
      }
      // precision = TP / flagged, recall = TP / positives (undefined: null when the divisor is 0).
      expect({
        cutoff,
        ...row,
        precision: row.flagged === 0 ? null : row.truePositives / row.flagged,
        recall: row.positives === 0 ? null : row.truePositives / row.positives,
      }).toEqual({ cutoff, ...EXPECTED[cutoff] });
      for (const k of Object.keys(totals) as (keyof typeof totals)[]) totals[k] += row[k];
    }
    expect(totals).toEqual({
      population: OVERALL.population,
      positives: OVERALL.positives,
      flagged: OVERALL.flagged,
      truePositives: OVERALL.truePositives,
    });
    expect(OVERALL.precision).toBe(totals.truePositives / totals.flagged);
    expect(OVERALL.recall).toBe(totals.truePositives / totals.positives);
  });

  it('the backtest against the labels gives exactly the hand-computed scores, overall and per cut-off', async () => {
    const all = await runBacktest(h.ds, {
      ...options,
      ruleSets: [rules],
      truth: truth(),
      fromMs: ms(CUTOFFS[0]),
      toMs: ms(CUTOFFS.at(-1)!),
    });
    expect(all.cutoffs).toEqual(CUTOFFS);
    expect(all.labels).toBe('ground-truth');
    expect(all.definition.leftOutCounts).toEqual({
      parked: 0,
      relocated: 0,
      soldPerTruth: 0,
      noTruthEntry: 0,
    });
    expect(pick(all.results[0].scores.overall)).toEqual(OVERALL);
    expect(all.results[0].scores.byReason.map((r) => [r.reason, r.flagged, r.truePositives])).toEqual([
      ['POST_WARRANTY_NO_SERVICE', 9, 2],
    ]);
    for (const cutoff of CUTOFFS) {
      const one = await runBacktest(h.ds, {
        ...options,
        ruleSets: [rules],
        truth: truth(),
        fromMs: ms(cutoff),
        toMs: ms(cutoff),
      });
      expect(one.cutoffs).toEqual([cutoff]);
      expect({ cutoff, ...pick(one.results[0].scores.overall) }).toEqual({ cutoff, ...EXPECTED[cutoff] });
    }
  });
});
