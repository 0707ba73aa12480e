import { DEFAULT_RULE_SET, parseRuleSet, resolveRules } from '@rp/risk';
import type { CustomerState, Decision, MachineState } from '@rp/risk';
import { DEFAULT_VALUE_SETTINGS, fleetFactsAt, valueDecision, valueSettingsOf } from './decision-value';

const DAY = 86_400_000;
const asOf = Date.UTC(2026, 5, 1);
const decision = (family: Decision['family'], warrantyEndsAtMs?: number): Decision => ({
  id: 'x',
  dealerId: 'd',
  customerId: 'c',
  serialNumber: 's',
  reasonCode: 'POST_WARRANTY_NO_SERVICE',
  family,
  message: 'm',
  evidenceEventIds: [],
  ruleId: 'r',
  ruleVersion: '1',
  detectedAtMs: asOf,
  episode: 'e',
  urgency: warrantyEndsAtMs === undefined ? {} : { warrantyEndsAtMs },
});
const customer = (
  purchases: CustomerState['purchases'],
  pAliveHistory: CustomerState['pAlive'] = [],
): CustomerState => ({
  dealerId: 'd',
  customerId: 'c',
  branchId: 'b',
  purchases,
  complaints: [],
  surveys: [],
  pAlive: pAliveHistory,
  fleetHours: [],
  unattributedWorkOrders: [],
});

describe('valueDecision', () => {
  const oneYear = [
    { at: asOf - 100 * DAY, eventId: 'p1', amount: 1000, kind: 'parts' as const },
    { at: asOf - 400 * DAY, eventId: 'p0', amount: 99_999, kind: 'parts' as const }, // outside 12 months
    { at: asOf - 10 * DAY, eventId: 's1', amount: 500, kind: 'service' as const },
  ];

  it('follows PRODUCT.md: CLV = m·r/(1+d−r), VaR = (1−r)·CLV, priority = VaR × family weight', () => {
    // m = 1000·0.25 + 500·0.6 = 550; r = 0.7; CLV = 550·0.7/0.4 = 962.5; VaR = 0.3·962.5 = 288.75; ×1.2
    expect(valueDecision(decision('lapse'), customer(oneYear), { size: 1 }, DEFAULT_VALUE_SETTINGS)).toEqual({
      clv: 962.5,
      pLapse: 0.3,
      pAlive: null,
      valueAtRisk: 288.75,
      priority: 346.5,
      urgencyFactor: 1,
    });
  });

  it("values with the rule set's settings for the dealer: margin rates, discount rate, weights over the defaults", () => {
    const ruleSet = parseRuleSet({
      ...DEFAULT_RULE_SET,
      value: { marginRates: { parts: 0.5 }, discountRate: 0.2 },
      perDealer: { d: { value: { marginRates: { labour: 0.4 }, reasonWeights: { lapse: 2 } } } },
    });
    const settings = valueSettingsOf(resolveRules(ruleSet, 'd'), DEFAULT_VALUE_SETTINGS);
    expect(settings).toEqual({
      ...DEFAULT_VALUE_SETTINGS,
      marginRates: { parts: 0.5, labour: 0.4 },
      discountRate: 0.2,
      reasonWeights: { ...DEFAULT_VALUE_SETTINGS.reasonWeights, lapse: 2 },
    });
    expect(valueSettingsOf(resolveRules(ruleSet, 'd'), DEFAULT_VALUE_SETTINGS)).toBe(settings); // memoised
    // m = 1000·0.5 + 500·0.4 = 700; r = 0.7; CLV = 700·0.7/(1 + 0.2 − 0.7) = 980; VaR = 0.3·980 = 294; ×2
    expect(valueDecision(decision('lapse'), customer(oneYear), { size: 1 }, settings)).toEqual({
      clv: 980,
      pLapse: 0.3,
      pAlive: null,
      valueAtRisk: 294,
      priority: 588,
      urgencyFactor: 1,
    });
    // Another dealer of the same document: only the document's own settings.
    const other = valueSettingsOf(resolveRules(ruleSet, 'other'), DEFAULT_VALUE_SETTINGS);
    expect(other.marginRates).toEqual({ parts: 0.5, labour: 0.6 });
    expect(other.reasonWeights).toEqual(DEFAULT_VALUE_SETTINGS.reasonWeights);
    // The default document changes nothing.
    expect(valueSettingsOf(resolveRules(DEFAULT_RULE_SET, 'd'), DEFAULT_VALUE_SETTINGS)).toEqual(
      DEFAULT_VALUE_SETTINGS,
    );
  });

  it('doubles urgency when the warranty ends within 30 days, not 31', () => {
    const v30 = valueDecision(
      decision('coverage', asOf + 30 * DAY),
      customer(oneYear),
      { size: 1 },
      DEFAULT_VALUE_SETTINGS,
    );
    const v31 = valueDecision(
      decision('coverage', asOf + 31 * DAY),
      customer(oneYear),
      { size: 1 },
      DEFAULT_VALUE_SETTINGS,
    );
    expect([v30.priority, v31.priority]).toEqual([577.5, 288.75]);
    expect([v30.urgencyFactor, v30.urgencyEndsAtMs]).toEqual([2, asOf + 30 * DAY]);
    expect([v31.urgencyFactor, v31.urgencyEndsAtMs]).toEqual([1, asOf + 31 * DAY]);
  });

  it('uses the latest P(alive) known at detection as retention, and a baseline margin without history', () => {
    const v = valueDecision(
      decision('experience'),
      customer(
        [],
        [
          { at: asOf - DAY, p: 0.5 },
          { at: asOf + DAY, p: 0.9 },
        ],
      ),
      { size: 2 },
      DEFAULT_VALUE_SETTINGS,
    );
    // m = 2 machines × 1000; CLV = 2000·0.5/0.6 = 1666.67; VaR = 833.33; ×1.5
    expect(v).toEqual({
      clv: 1666.67,
      pLapse: 0.5,
      pAlive: 0.5,
      valueAtRisk: 833.33,
      priority: 1250,
      urgencyFactor: 1,
    });
  });

  it("uses the events' grossProfit as the margin, and splits a work order without it into labour and parts", () => {
    const withProfit = [
      // EVENTS.md's work order: labour 1800, parts 2650, grossProfit 900; a parts sale with grossProfit 100
      {
        at: asOf - 10 * DAY,
        eventId: 'wo',
        amount: 4450,
        kind: 'service' as const,
        grossProfit: 900,
        labourAmount: 1800,
      },
      { at: asOf - 20 * DAY, eventId: 'ps', amount: 1000, kind: 'parts' as const, grossProfit: 100 },
    ];
    // m = 900 + 100 = 1000; r = 0.7; CLV = 1000·0.7/0.4 = 1750; VaR = 525; ×1.2
    expect(
      valueDecision(decision('lapse'), customer(withProfit), { size: 1 }, DEFAULT_VALUE_SETTINGS),
    ).toEqual({
      clv: 1750,
      pLapse: 0.3,
      pAlive: null,
      valueAtRisk: 525,
      priority: 630,
      urgencyFactor: 1,
    });
    const without = [
      { at: asOf - 10 * DAY, eventId: 'wo', amount: 4450, kind: 'service' as const, labourAmount: 1800 },
    ];
    // m = 1800·0.6 + 2650·0.25 = 1742.5; CLV = 1742.5·0.7/0.4 = 3049.375
    expect(
      valueDecision(decision('lapse'), customer(without), { size: 1 }, DEFAULT_VALUE_SETTINGS).clv,
    ).toBeCloseTo(3049.375, 1);
  });

  it('takes a margin beyond any number (grossProfits summing to Infinity) as missing: the baseline', () => {
    const huge = [
      { at: asOf - 50 * DAY, eventId: 'p1', amount: 1, kind: 'parts' as const, grossProfit: 1e308 },
      { at: asOf - 49 * DAY, eventId: 'p2', amount: 1, kind: 'parts' as const, grossProfit: 1e308 },
    ];
    const nearMax = [
      { at: asOf - 50 * DAY, eventId: 'p1', amount: 1, kind: 'parts' as const, grossProfit: 1e308 },
    ];
    // m = baseline 1000 × 2 machines; CLV = 2000·0.7/0.4 = 3500; VaR = 1050; ×1.2
    const baseline = {
      clv: 3500,
      pLapse: 0.3,
      pAlive: null,
      valueAtRisk: 1050,
      priority: 1260,
      urgencyFactor: 1,
    };
    expect(valueDecision(decision('lapse'), customer(huge), { size: 2 }, DEFAULT_VALUE_SETTINGS)).toEqual(
      baseline,
    );
    // Finite, but CLV (1.75 × m) would overflow: the baseline too.
    expect(valueDecision(decision('lapse'), customer(nearMax), { size: 2 }, DEFAULT_VALUE_SETTINGS)).toEqual(
      baseline,
    );
  });

  it('takes the default retention while the estimate rests on no repeat purchase (the model says 1 then)', () => {
    const noRepeat = customer([], [{ at: asOf - DAY, p: 1, repeats: 0 }]);
    const repeat = customer([], [{ at: asOf - DAY, p: 0.4, repeats: 2 }]);
    expect(valueDecision(decision('lapse'), noRepeat, { size: 1 }, DEFAULT_VALUE_SETTINGS).pLapse).toBe(0.3);
    expect(valueDecision(decision('lapse'), repeat, { size: 1 }, DEFAULT_VALUE_SETTINGS).pLapse).toBe(0.6);
  });

  it("carries the model's P(alive) unrounded, and null without an estimate (the default retention is none)", () => {
    const v = (history: CustomerState['pAlive']) =>
      valueDecision(decision('lapse'), customer([], history), { size: 1 }, DEFAULT_VALUE_SETTINGS);
    // 0.696 is below the high-value threshold 0.7; its pLapse rounds to 0.3 (1 − 0.3 would read 0.7).
    expect(v([{ at: asOf - DAY, p: 0.696, repeats: 3 }])).toMatchObject({ pLapse: 0.3, pAlive: 0.696 });
    expect(v([{ at: asOf - DAY, p: 0.995, repeats: 3 }])).toMatchObject({ pLapse: 0.01, pAlive: 0.995 });
    expect(v([])).toMatchObject({ pLapse: 0.3, pAlive: null });
    expect(v([{ at: asOf - DAY, p: 1, repeats: 0 }])).toMatchObject({ pLapse: 0.3, pAlive: null });
  });

  it("doubles urgency of any decision when the customer's nearest coverage ends within 30 days", () => {
    const v = (coverageEndsAtMs?: number) =>
      valueDecision(
        decision('lapse'),
        customer(oneYear),
        { size: 1, coverageEndsAtMs },
        DEFAULT_VALUE_SETTINGS,
      ).priority;
    expect([v(asOf + 30 * DAY), v(asOf + 31 * DAY), v(asOf - DAY), v()]).toEqual([693, 346.5, 346.5, 346.5]);
  });

  it("records the urgency it applied and the nearest end it weighed, the fleet's coverage end included", () => {
    const v = (ownEndsAtMs: number | undefined, coverageEndsAtMs?: number) => {
      const r = valueDecision(
        decision('coverage', ownEndsAtMs),
        customer(oneYear),
        { size: 2, coverageEndsAtMs },
        DEFAULT_VALUE_SETTINGS,
      );
      return [r.priority, r.urgencyFactor, r.urgencyEndsAtMs];
    };
    // Own end 60 days ahead, another machine's coverage 10: ×2 for the fleet's end (review finding 2).
    expect(v(asOf + 60 * DAY, asOf + 10 * DAY)).toEqual([577.5, 2, asOf + 10 * DAY]);
    expect(v(asOf + 60 * DAY, asOf + 45 * DAY)).toEqual([288.75, 1, asOf + 45 * DAY]);
    expect(v(asOf + 40 * DAY, asOf + 45 * DAY)).toEqual([288.75, 1, asOf + 40 * DAY]);
    // An end before detection is not weighed.
    expect(v(asOf - DAY, asOf + 50 * DAY)).toEqual([288.75, 1, asOf + 50 * DAY]);
    expect(v(undefined)).toEqual([288.75, 1, undefined]);
  });
});

describe('fleetFactsAt', () => {
  const machine = (serial: string, patch: Partial<MachineState> = {}): MachineState => ({
    dealerId: 'd',
    serialNumber: serial,
    customerId: 'c',
    branchId: 'b',
    model: 'PC200-8',
    readings: [],
    locations: [],
    faults: [],
    covers: [],
    workOrders: [],
    ...patch,
  });
  const term = (endsAt: number, knownAt?: number) => ({
    startsAt: asOf - 700 * DAY,
    endsAt,
    eventId: 'w',
    knownAt,
  });

  it('counts owned, unsold machines and finds the nearest end of coverage not before then', () => {
    const facts = fleetFactsAt(
      [
        machine('a', { warranty: term(asOf + 20 * DAY) }),
        // its standard warranty ends sooner, but an extended cover runs on: covered until +200 days
        machine('b', {
          warranty: term(asOf + 5 * DAY),
          covers: [{ ...term(asOf + 200 * DAY), contractId: 'x', kind: 'extended-warranty' }],
        }),
        machine('c', { warranty: term(asOf - DAY) }), // ended already
        machine('d', {
          warranty: term(asOf + DAY),
          sold: { at: asOf - DAY, eventId: 's', toCustomerId: 'c2' },
        }), // sold
        machine('e', { warranty: term(asOf + 2 * DAY, asOf + DAY) }), // registered after asOf: unknown yet
        machine('f', { warranty: term(asOf + 3 * DAY), ownedSince: asOf + DAY }), // not theirs yet
      ],
      asOf,
    );
    expect(facts).toEqual({ size: 4, coverageEndsAtMs: asOf + 20 * DAY });
    expect(fleetFactsAt([machine('c', { warranty: term(asOf - DAY) })], asOf)).toEqual({ size: 1 });
  });
});
