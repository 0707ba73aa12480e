import { DAY, RULES, at, customer, expectedId, machine, purchase, reading } from '../spec-helpers';
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

  it('counts only fleet hours inside the window (a day exactly 30 days back is out)', () => {
    const hours = [
      { at: ASOF - 30 * DAY, hours: 100 },
      { at: ASOF - 29 * DAY, hours: 49.9 },
    ];
    expect(detectActiveButSilent(ctx(5, { fleetHours: hours }), ASOF, RULES).decisions).toEqual([]);
  });

  it('needs a purchase on record', () => {
    expect(detectActiveButSilent(ctx(5, { purchases: [] }), ASOF, RULES).decisions).toEqual([]);
  });
});
