import { DAY, HOUR, RULES, at, customer, expectedId, machine, purchase, reading } from '../spec-helpers';

const dayStart = (ms: number): number => Math.floor(ms / DAY) * DAY;
import { detectActiveButSilent } from './active-but-silent';

const LAST = at('2026-01-01');
const ASOF = LAST + 42 * DAY;
/** Ten working days of 5 h each (plus a last one of `lastDay` h) inside the 30-day window. */
const fleet = (lastDay: number) =>
  Array.from({ length: 10 }, (_, i) => ({ at: ASOF - (i + 1) * DAY, hours: i === 0 ? lastDay : 5 }));
const ctx = (lastDay = 5, patch = {}) => ({
  customer: customer({
    purchases: [purchase('p-0', LAST - 20 * DAY), purchase('p-1', LAST)],
    fleetHours: fleet(lastDay),
    ...patch,
  }),
  machines: [
    machine({ serialNumber: 'B-2', readings: [reading(ASOF - DAY, 900, 't-b')] }),
    machine({ serialNumber: 'A-1', readings: [reading(ASOF - 2 * DAY, 500, 't-a')] }),
    machine({ serialNumber: 'C-3', readings: [reading(ASOF - 40 * DAY, 300, 't-c')] }), // idle: not evidence
  ],
});

describe('ACTIVE_BUT_SILENT', () => {
  it('fires at 50 h in 30 days and 42 days without purchase', () => {
    const r = detectActiveButSilent(ctx(), ASOF, RULES);
    expect(r.decisions).toHaveLength(1);
    expect(r.decisions[0]).toMatchObject({
      id: expectedId(null, 'ACTIVE_BUT_SILENT', 'after:p-1'),
      serialNumber: null,
      family: 'lapse',
      message: 'fleet working, no purchases for 42 days: likely buying elsewhere',
      evidenceEventIds: ['p-1', 't-a', 't-b'],
    });
  });

  it('does not fire at 49.9 h', () => {
    expect(detectActiveButSilent(ctx(4.9), ASOF, RULES)).toEqual({ decisions: [], nextCheckAtMs: null });
  });

  it('does not fire on day 41 and sets the timer for day 42', () => {
    const fleetThen = fleet(5).map((d) => ({ ...d, at: d.at - DAY }));
    const r = detectActiveButSilent(ctx(5, { fleetHours: fleetThen }), ASOF - DAY, RULES);
    expect(r).toEqual({ decisions: [], nextCheckAtMs: ASOF });
  });

  it('counts the 30 whole days before the as-of day: the 30th day back is in, the 31st out', () => {
    const hours = (back30: number) => [
      { at: ASOF - 31 * DAY, hours: 100 }, // out of the window
      { at: ASOF - 30 * DAY, hours: back30 },
      { at: ASOF - 29 * DAY, hours: 45 },
    ];
    expect(detectActiveButSilent(ctx(5, { fleetHours: hours(5) }), ASOF, RULES).decisions).toHaveLength(1);
    expect(detectActiveButSilent(ctx(5, { fleetHours: hours(4.9) }), ASOF, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: null,
    });
  });

  it('fires for a fleet running 1.7 h a day (51 h in 30 whole days) at midnight and at midday', () => {
    // Days 60 back to the as-of day: the as-of day itself is not complete (not in the view) and does not count.
    const days = Array.from({ length: 61 }, (_, i) => ({ at: ASOF - (60 - i) * DAY, hours: 1.7 }));
    for (const asOf of [ASOF, ASOF + 12 * HOUR, ASOF + DAY - 1]) {
      expect(detectActiveButSilent(ctx(5, { fleetHours: days }), asOf, RULES).decisions).toHaveLength(1);
    }
    // 1.1 h less on the oldest day of the window: 49.9 h, quiet at every time of the as-of day.
    const less = days.map((d) => (d.at === ASOF - 30 * DAY ? { ...d, hours: 0.6 } : d));
    for (const asOf of [ASOF, ASOF + 12 * HOUR, ASOF + DAY - 1]) {
      expect(detectActiveButSilent(ctx(5, { fleetHours: less }), asOf, RULES).decisions).toEqual([]);
    }
  });

  describe('with no purchase on record', () => {
    const OWNED = ASOF - 42 * DAY;
    const fleetOf = (asOf: number) =>
      Array.from({ length: 10 }, (_, i) => ({ at: dayStart(asOf) - (i + 1) * DAY, hours: 5 }));
    const noPurchase = (asOf: number, owned: (number | undefined)[], patch = {}) => ({
      customer: customer({ purchases: [], fleetHours: fleetOf(asOf), ...patch }),
      machines: owned.map((ownedSince, i) =>
        machine({
          serialNumber: `M-${i}`,
          ...(ownedSince === undefined ? {} : { ownedSince }),
          readings: [reading(asOf - DAY, 900 + i, `t-${i}`)],
        }),
      ),
    });

    it('counts the silence from the earliest ownedSince: fires at 42 days, the timer 1 ms before', () => {
      const r = detectActiveButSilent(noPurchase(ASOF, [OWNED + 10 * DAY, OWNED]), ASOF, RULES);
      expect(r).toEqual({
        decisions: [
          expect.objectContaining({
            id: expectedId(null, 'ACTIVE_BUT_SILENT', 'after:none'),
            episode: 'after:none',
            message: 'fleet working, no purchases on record in 42 days of ownership: likely buying elsewhere',
            evidenceEventIds: ['t-0', 't-1'],
          }),
        ],
        nextCheckAtMs: null,
      });
      const before = ASOF - 1;
      expect(detectActiveButSilent(noPurchase(before, [OWNED + 10 * DAY, OWNED]), before, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: OWNED + 42 * DAY,
      });
    });

    it('leaves out a machine not owned yet, and fires at once when the start of ownership is unknown', () => {
      // The later machine is not theirs at ASOF - 1: only OWNED counts.
      const later = noPurchase(ASOF - 1, [OWNED, ASOF + DAY]);
      expect(detectActiveButSilent(later, ASOF - 1, RULES).nextCheckAtMs).toBe(OWNED + 42 * DAY);
      const unknown = noPurchase(ASOF - 10 * DAY, [OWNED, undefined]);
      expect(detectActiveButSilent(unknown, ASOF - 10 * DAY, RULES).decisions[0]).toMatchObject({
        episode: 'after:none',
        message: 'fleet working, no purchases on record: likely buying elsewhere',
      });
    });

    it('measures from the purchase before the window loaded, with its id, when there is one', () => {
      const old = { at: ASOF - 1200 * DAY, eventId: 'p-old' };
      const r = detectActiveButSilent(noPurchase(ASOF, [OWNED], { purchaseBeforeHistory: old }), ASOF, RULES);
      expect(r.decisions[0]).toMatchObject({
        id: expectedId(null, 'ACTIVE_BUT_SILENT', 'after:p-old'),
        message: 'fleet working, no purchases for 1200 days: likely buying elsewhere',
        evidenceEventIds: ['p-old', 't-0'],
      });
    });

    it('still needs the fleet hours', () => {
      const idle = noPurchase(ASOF, [OWNED], { fleetHours: [{ at: ASOF - DAY, hours: 49.9 }] });
      expect(detectActiveButSilent(idle, ASOF, RULES)).toEqual({ decisions: [], nextCheckAtMs: null });
    });
  });

  describe('at the midnight that completes the day', () => {
    // 45 h in the window now (30 h on its oldest day, which leaves it at the next midnight); the one machine
    // read 1000 h yesterday and reports its last snapshot of today at 18:00, then nothing for a week.
    const DAY0 = at('2026-05-20');
    const SNAPSHOT = DAY0 + 18 * HOUR;
    const state = (todayTo: number, lastPurchase = DAY0 - 100 * DAY, today?: number) => ({
      customer: customer({
        purchases: [purchase('p-1', lastPurchase)],
        fleetHours: [
          { at: DAY0 - 30 * DAY, hours: 30 },
          { at: DAY0 - 29 * DAY, hours: 15 },
          ...(today === undefined ? [] : [{ at: DAY0, hours: today }]),
        ],
      }),
      machines: [
        machine({
          serialNumber: 'A-1',
          readings: [reading(DAY0 - DAY + 17 * HOUR, 1000, 't-y'), reading(SNAPSHOT, todayTo, 't-d')],
        }),
      ],
    });

    it('asks to be checked at the next midnight when today brings the window to 50 h (15 + 35)', () => {
      expect(detectActiveButSilent(state(1035), SNAPSHOT, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: DAY0 + DAY,
      });
    });

    it('sets no timer when the window would hold 49.9 h then (15 + 34.9)', () => {
      expect(detectActiveButSilent(state(1034.9), SNAPSHOT, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: null,
      });
    });

    it('fires at that midnight, once the day is complete, and not 1 ms before', () => {
      const done = state(1035, DAY0 - 100 * DAY, 35);
      expect(detectActiveButSilent(done, DAY0 + DAY - 1, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: DAY0 + DAY,
      });
      expect(detectActiveButSilent(done, DAY0 + DAY, RULES)).toEqual({
        decisions: [
          expect.objectContaining({
            id: expectedId(null, 'ACTIVE_BUT_SILENT', 'after:p-1'),
            message: 'fleet working, no purchases for 101 days: likely buying elsewhere',
            evidenceEventIds: ['p-1', 't-d'],
          }),
        ],
        nextCheckAtMs: null,
      });
    });

    it('asks for the instant the silence is due when that is after the midnight', () => {
      const due = DAY0 + DAY + 6 * HOUR;
      expect(detectActiveButSilent(state(1035, due - 42 * DAY), SNAPSHOT, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: due,
      });
      // Due after today has left the window again (41 days on): it can no longer fire then.
      expect(detectActiveButSilent(state(1035, DAY0 - DAY), SNAPSHOT, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: null,
      });
    });
  });
});
