import { evaluate } from './evaluate';
import { RiskInputError } from './errors';
import type { CustomerState } from './model/customer-state';
import type { MachineState } from './model/machine-state';
import { DEFAULT_RULE_SET } from './rules/default-rule-set';
import { DAY, at, customer, machine, purchase, reading, workOrder } from './spec-helpers';

const ASOF = at('2026-04-24T18:00:00Z');
const SEEN = at('2026-04-10T18:00:00Z');

const pc200 = machine({
  warranty: { startsAt: at('2025-03-01'), endsAt: at('2026-03-01'), hoursLimit: 2000, eventId: 'w-1' },
  readings: [
    reading(at('2026-03-10'), 1200, 't-1'),
    reading(SEEN, 1262.4, 't-9f2'),
    reading(at('2026-04-23'), 1290, 't-10'),
  ],
  faults: [
    {
      code: 'CA431',
      severity: 'high',
      firstSeenAt: SEEN,
      eventId: 't-9f2',
      occurrences: [{ at: SEEN, eventId: 't-9f2' }],
    },
  ],
  lastTelematics: { at: at('2026-04-23'), eventId: 't-10' },
  workOrders: [workOrder('5000', at('2025-12-01'), { hoursAtService: 1000 })],
});
const sold = machine({
  serialNumber: 'D6-20002',
  warranty: { startsAt: at('2025-06-01'), endsAt: at('2026-06-01'), eventId: 'w-2' },
  sold: { at: at('2026-02-01'), toCustomerId: 'c-99', eventId: 'own-2' },
});
const wa380 = machine({
  serialNumber: 'WA380-30003',
  warranty: { startsAt: at('2025-06-01'), endsAt: at('2026-06-01'), eventId: 'w-3' },
});
const cust = customer({
  purchases: [purchase('p-1', at('2026-01-10'), 900, { kind: 'service' }), purchase('p-2', at('2026-02-20'))],
  surveys: [{ id: 's-1', at: at('2026-04-20'), nps: 4, comment: 'slow response', eventId: 'sv-1' }],
  complaints: [{ id: 'cp-1', openedAt: at('2026-04-20'), eventId: 'cpl-1' }],
});
const MACHINES = [pc200, sold, wa380];

describe('evaluate', () => {
  it('runs every rule for the customer and orders the output', () => {
    const out = evaluate(MACHINES, cust, ASOF, DEFAULT_RULE_SET);
    expect(out.decisions.map((d) => [d.serialNumber, d.reasonCode, d.message])).toEqual([
      [null, 'PURCHASE_GAP', 'purchase gap 63 days vs usual 42 days'],
      [null, 'DETRACTOR', 'close the loop within 48 h: slow response'],
      ['PC200-10001', 'FAULT_WITHOUT_VISIT', 'fault CA431 active 14 days: offer diagnosis'],
      [
        'WA380-30003',
        'WARRANTY_ENDING_UNCOVERED',
        'warranty of WA380-30003 ends 2026-06-01; offer extended warranty or maintenance contract',
      ],
    ]);
    expect(out.suppressions.map((s) => [s.serialNumber, s.reasonCode, s.evidenceEventIds])).toEqual([
      ['D6-20002', 'MACHINE_SOLD', ['own-2']],
    ]);
    expect(out.nextCheckAtMs).toBe(at('2026-04-28')); // the complaint turns 8 days old
    expect(out.decisions.every((d) => d.detectedAtMs === ASOF && d.ruleVersion === '1')).toBe(true);
  });

  it('gives a suppressed machine no machine-level decision but keeps customer-level ones', () => {
    const silent = { ...wa380, lastTelematics: { at: ASOF - 20 * DAY, eventId: 't-old' } };
    const out = evaluate([silent], cust, ASOF, DEFAULT_RULE_SET);
    expect(out.suppressions.map((s) => s.reasonCode)).toEqual(['NOT_REPORTING']);
    expect(out.decisions.map((d) => d.reasonCode)).toEqual(['PURCHASE_GAP', 'DETRACTOR']);
  });

  it('is deterministic: same input twice, or shuffled, gives identical output', () => {
    const shuffle = (m: MachineState): MachineState => ({
      ...m,
      readings: [...m.readings].reverse(),
      workOrders: [...m.workOrders].reverse(),
    });
    const shuffledCustomer: CustomerState = { ...cust, purchases: [...cust.purchases].reverse() };
    const a = evaluate(MACHINES, cust, ASOF, DEFAULT_RULE_SET);
    expect(evaluate(MACHINES, cust, ASOF, DEFAULT_RULE_SET)).toEqual(a);
    expect(evaluate([...MACHINES].reverse().map(shuffle), shuffledCustomer, ASOF, DEFAULT_RULE_SET)).toEqual(
      a,
    );
  });

  it('keeps decision ids when the as-of moves within the same episodes', () => {
    const key = (o: ReturnType<typeof evaluate>) =>
      o.decisions.map((d) => `${d.reasonCode}/${d.serialNumber}/${d.id}`);
    const a = evaluate(MACHINES, cust, ASOF, DEFAULT_RULE_SET);
    const b = evaluate(MACHINES, cust, ASOF + 2 * DAY, DEFAULT_RULE_SET);
    expect(key(b)).toEqual(key(a));
    expect(b.decisions[0].detectedAtMs).toBe(ASOF + 2 * DAY);
  });

  it('changes ids with the rule version (so versions can be compared side by side)', () => {
    const v2 = evaluate(MACHINES, cust, ASOF, { ...DEFAULT_RULE_SET, version: '2' });
    const v1 = evaluate(MACHINES, cust, ASOF, DEFAULT_RULE_SET);
    expect(v2.decisions.map((d) => d.reasonCode)).toEqual(v1.decisions.map((d) => d.reasonCode));
    expect(v2.decisions.some((d, i) => d.id === v1.decisions[i].id)).toBe(false);
  });

  it('ignores facts later than the as-of instant (late or replayed events)', () => {
    const later = {
      ...pc200,
      workOrders: [...pc200.workOrders, workOrder('6000', ASOF + DAY)],
      readings: [...pc200.readings, reading(ASOF + 3 * DAY, 1300, 't-11')],
    };
    const withLater = { ...cust, purchases: [...cust.purchases, purchase('p-3', ASOF + 1)] };
    expect(evaluate([later, sold, wa380], withLater, ASOF, DEFAULT_RULE_SET)).toEqual(
      evaluate(MACHINES, cust, ASOF, DEFAULT_RULE_SET),
    );
  });

  it('leaves out a machine the customer did not own yet (bought or delivered later)', () => {
    const bought = { ...wa380, ownedSince: ASOF + DAY };
    const out = evaluate([pc200, sold, bought], cust, ASOF, DEFAULT_RULE_SET);
    expect(out.decisions.map((d) => d.serialNumber)).not.toContain('WA380-30003');
    expect(
      evaluate([pc200, sold, bought], cust, ASOF + DAY, DEFAULT_RULE_SET).decisions.at(-1),
    ).toMatchObject({
      serialNumber: 'WA380-30003',
      reasonCode: 'WARRANTY_ENDING_UNCOVERED',
    });
  });

  it('skips disabled rules, including suppressors', () => {
    const ruleSet = { ...DEFAULT_RULE_SET, disabled: ['DETRACTOR' as const, 'MACHINE_SOLD' as const] };
    const out = evaluate(MACHINES, cust, ASOF, ruleSet);
    expect(out.suppressions).toEqual([]);
    expect(out.decisions.map((d) => `${d.reasonCode}/${d.serialNumber}`)).toEqual([
      'PURCHASE_GAP/null',
      'WARRANTY_ENDING_UNCOVERED/D6-20002',
      'FAULT_WITHOUT_VISIT/PC200-10001',
      'WARRANTY_ENDING_UNCOVERED/WA380-30003',
    ]);
  });

  it('refuses another tenant or customer, duplicate serials and a bad instant', () => {
    expect(() => evaluate([{ ...wa380, dealerId: 'd2' }], cust, ASOF, DEFAULT_RULE_SET)).toThrow(
      RiskInputError,
    );
    expect(() => evaluate([{ ...wa380, customerId: 'c-99' }], cust, ASOF, DEFAULT_RULE_SET)).toThrow(
      /belongs to d1\/c-99/,
    );
    expect(() => evaluate([wa380, wa380], cust, ASOF, DEFAULT_RULE_SET)).toThrow(/given twice/);
    expect(() => evaluate([], cust, Number.NaN, DEFAULT_RULE_SET)).toThrow(RiskInputError);
  });

  it('returns nothing and no timer for a customer without data', () => {
    expect(evaluate([], customer(), ASOF, DEFAULT_RULE_SET)).toEqual({
      decisions: [],
      suppressions: [],
      nextCheckAtMs: null,
    });
  });
});
