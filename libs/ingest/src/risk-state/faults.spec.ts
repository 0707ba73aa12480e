import {
  DEFAULT_RULE_SET,
  detectFaultWithoutVisit,
  machineAsOf,
  resolveRules,
  type MachineState,
} from '@rp/risk';
import { foldFaults, type FaultSnapshot } from './faults';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const T0 = Date.parse('2026-04-01T08:00:00Z');
const RULES = resolveRules(DEFAULT_RULE_SET, 'd1');

/** Daily snapshots from day 0 to `days - 1`, listing code E-7 on the days given. */
function daily(
  listedOn: readonly number[],
  days = 30,
  severity: 'medium' | 'high' = 'medium',
): FaultSnapshot[] {
  return Array.from({ length: days }, (_, d) => ({
    at: T0 + d * DAY,
    eventId: `t-${d}`,
    reportsFaults: true,
    faultCodes: listedOn.includes(d) ? [{ code: 'E-7', severity }] : [],
  }));
}

type Listing = [day: number, entry?: 'medium' | 'high' | 'clear'];

/** One snapshot per listing: code E-7 listed with that severity, explicitly cleared, or (none) an empty list. */
const sparse = (listings: readonly Listing[]): FaultSnapshot[] =>
  listings.map(([d, entry]) => ({
    at: T0 + d * DAY,
    eventId: `t-${d}`,
    reportsFaults: true,
    faultCodes:
      entry === undefined
        ? []
        : entry === 'clear'
          ? [{ code: 'E-7', severity: 'medium', clearedAt: '2026-03-01T00:00:00Z' }]
          : [{ code: 'E-7', severity: entry }],
  }));

const machineWith = (faults: MachineState['faults'], patch: Partial<MachineState> = {}): MachineState => ({
  dealerId: 'd1',
  serialNumber: 'S-1',
  customerId: 'c-1',
  branchId: 'b-1',
  readings: [],
  locations: [],
  faults,
  covers: [],
  workOrders: [],
  ...patch,
});

describe('foldFaults and FAULT_WITHOUT_VISIT: an intermittent fault', () => {
  it('keeps a code open once it came back, so its repeats still count after it went quiet', () => {
    expect(foldFaults(daily([0, 2, 4]))).toStrictEqual([
      {
        code: 'E-7',
        severity: 'medium',
        firstSeenAt: T0,
        eventId: 't-0',
        occurrences: [0, 2, 4].map((d) => ({ at: T0 + d * DAY, eventId: `t-${d}` })),
        lapsedAt: T0 + DAY, // cleared from day 1 until day 2
      },
    ]);
    // Listed once: cleared by the next list without it, as before.
    expect(foldFaults(daily([0]))).toStrictEqual([
      {
        code: 'E-7',
        severity: 'medium',
        firstSeenAt: T0,
        eventId: 't-0',
        occurrences: [{ at: T0, eventId: 't-0' }],
        lapsedAt: T0 + DAY,
      },
    ]);
  });

  it('closes an intermittent episode at the snapshot that explicitly clears it', () => {
    const snaps = daily([0, 2]);
    snaps[5] = {
      ...snaps[5],
      faultCodes: [{ code: 'E-7', severity: 'medium', clearedAt: '2026-04-01T00:00:00Z' }],
    };
    expect(foldFaults(snaps)[0].clearedAt).toBe(T0 + 5 * DAY);
  });

  it('listed on days 0, 2 and 4: fires on day 18 without a work order, not with one within 14 days', () => {
    const faults = foldFaults(daily([0, 2, 4]));
    const quiet = machineWith(faults);
    expect(detectFaultWithoutVisit(quiet, T0 + 4 * DAY, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: T0 + 18 * DAY,
    });
    expect(detectFaultWithoutVisit(quiet, T0 + 18 * DAY - 1, RULES).decisions).toEqual([]);
    expect(detectFaultWithoutVisit(quiet, T0 + 18 * DAY, RULES).decisions.map((d) => d.message)).toEqual([
      'fault E-7 active 18 days: offer diagnosis',
    ]);
    const visited = machineWith(faults, {
      workOrders: [
        {
          id: 'wo-1',
          kind: 'repair',
          openedAt: T0 + 10 * DAY,
          closedAt: T0 + 11 * DAY,
          labour: true,
          eventId: 'w-1',
        },
      ],
    });
    expect(detectFaultWithoutVisit(visited, T0 + 18 * DAY, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: null,
    });
  });

  it('gives the same view and result as of every instant whether later snapshots were folded in or not', () => {
    // Live (state folded from the snapshots so far) and replay (state holding everything) agree, every 7 hours:
    // intermittent codes, codes listed once, gone and listed again, explicit clears and severity changes.
    const cases: FaultSnapshot[][] = [
      daily([0, 2, 4]),
      daily([0, 1, 2]),
      daily([0, 3, 9, 11, 12]),
      daily([0, 8, 16]),
      daily([0, 2, 4, 20, 21, 23]),
      daily([0, 2, 4, 30, 32, 34]),
      daily([1]),
      daily([0, 1, 2], 40, 'high'),
      daily([3], 40, 'high'),
      sparse([[0, 'high'], [2], [10, 'high']]), // listed, gone, listed again
      sparse([[0, 'high'], [2], [20, 'high']]),
      daily([0, 10], 40, 'high'),
      daily([0, 10, 11, 12, 30], 40, 'high'),
      daily([0, 9, 10, 11, 12], 40, 'medium'),
      sparse([
        [0, 'high'],
        [3, 'clear'],
        [10, 'high'],
      ]), // cleared explicitly, new episode
      sparse([[0, 'high'], [2], [5, 'clear'], [10, 'high']]), // gone, then cleared
      sparse([[0, 'medium'], [1], [2, 'medium'], [3], [4, 'medium'], [6, 'clear'], [8, 'medium']]),
      sparse([[0, 'medium'], [2, 'medium'], [4], [20, 'clear'], [22, 'high']]),
      sparse([[0, 'medium'], [5, 'medium'], [9, 'high'], [12, 'medium'], [30]]), // severity changes
      sparse([[0, 'medium'], [2], [4, 'high'], [6], [8, 'medium']]),
      sparse([[0, 'high'], [1, 'medium'], [2], [16, 'medium']]),
    ];
    for (const snaps of cases) {
      const whole = machineWith(foldFaults(snaps));
      for (let t = T0 - HOUR; t <= T0 + 45 * DAY; t += 7 * HOUR) {
        const live = machineWith(foldFaults(snaps.filter((s) => s.at <= t)));
        expect(machineAsOf(whole, t).faults).toEqual(machineAsOf(live, t).faults);
        expect(detectFaultWithoutVisit(whole, t, RULES)).toEqual(detectFaultWithoutVisit(live, t, RULES));
      }
    }
  });
});

describe('foldFaults and FAULT_WITHOUT_VISIT: a high code listed on day 0, gone on day 2, listed again on day 10', () => {
  const snaps = sparse([[0, 'high'], [2], [10, 'high']]);
  const whole = machineWith(foldFaults(snaps));
  const upTo = (day: number) => machineWith(foldFaults(snaps.filter((s) => s.at <= T0 + day * DAY)));

  it('is cleared in between: as of day 5 no open fault, no decision and no check on day 14', () => {
    expect(machineAsOf(whole, T0 + 5 * DAY).faults).toEqual([]);
    expect(detectFaultWithoutVisit(whole, T0 + 5 * DAY, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: null,
    });
    // Exactly what the state folded up to day 5 (holding the clearing, not the later listing) gives.
    expect(machineAsOf(upTo(5), T0 + 5 * DAY).faults).toEqual([]);
    expect(detectFaultWithoutVisit(upTo(5), T0 + 5 * DAY, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: null,
    });
    // Open on day 1 (check due on day 14), cleared from day 2 up to 1 ms before the listing of day 10.
    expect(detectFaultWithoutVisit(whole, T0 + DAY, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: T0 + 14 * DAY,
    });
    expect(machineAsOf(whole, T0 + 2 * DAY).faults).toEqual([]);
    expect(machineAsOf(whole, T0 + 10 * DAY - 1).faults).toEqual([]);
  });

  it('reopens the same episode on day 10 and fires on day 14, live or replayed', () => {
    expect(machineAsOf(whole, T0 + 10 * DAY).faults).toEqual([
      {
        code: 'E-7',
        severity: 'high',
        firstSeenAt: T0,
        eventId: 't-0',
        occurrences: [0, 10].map((d) => ({ at: T0 + d * DAY, eventId: `t-${d}` })),
      },
    ]);
    const fired = detectFaultWithoutVisit(whole, T0 + 14 * DAY, RULES);
    expect(fired.decisions.map((d) => d.message)).toEqual(['fault E-7 active 14 days: offer diagnosis']);
    expect(fired).toEqual(detectFaultWithoutVisit(upTo(14), T0 + 14 * DAY, RULES));
  });
});

describe('foldFaults: history kept for the as-of view', () => {
  it('records the lapse, the severity changes and the explicit clear of an episode', () => {
    const faults = foldFaults(
      sparse([[0, 'medium'], [2], [4, 'high'], [5, 'clear'], [8, 'medium'], [9, 'medium']]),
    );
    expect(faults).toStrictEqual([
      {
        code: 'E-7',
        severity: 'high',
        severities: [
          { at: T0, severity: 'medium' },
          { at: T0 + 4 * DAY, severity: 'high' },
        ],
        firstSeenAt: T0,
        eventId: 't-0',
        occurrences: [0, 4].map((d) => ({ at: T0 + d * DAY, eventId: `t-${d}` })),
        lapsedAt: T0 + 2 * DAY,
        clearedAt: T0 + 5 * DAY,
      },
      {
        code: 'E-7',
        severity: 'medium',
        firstSeenAt: T0 + 8 * DAY,
        eventId: 't-8',
        occurrences: [{ at: T0 + 8 * DAY, eventId: 't-8' }],
      },
    ]);
  });
});
