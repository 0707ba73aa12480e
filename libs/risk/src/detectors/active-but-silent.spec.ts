import { DAY, HOUR, RULES, at, customer, expectedId, machine, purchase, reading } from '../spec-helpers';
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

  it('needs a purchase on record', () => {
    expect(detectActiveButSilent(ctx(5, { purchases: [] }), ASOF, RULES).decisions).toEqual([]);
  });
});
