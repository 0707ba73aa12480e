import { weekStart } from '@rp/risk';
import { pAlive } from '@rp/value';
import { aliveHistory, gridBetween, modelCutoff } from './alive-model';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const weeks = (ms: number) => ms / WEEK;
const buy = (at: number, i: number) => ({ at, eventId: `p${i}`, amount: 1, kind: 'parts' as const });

describe('aliveHistory', () => {
  const monday = Date.UTC(2026, 5, 1); // 2026-06-01 is a Monday
  const first = monday - 30 * WEEK + 3 * DAY; // a Thursday
  const purchases = [first, first + 10 * WEEK, first + 20 * WEEK].map(buy);

  it('gives P(alive) at every week start from the first purchase, from the purchase days up to each', () => {
    const asOf = monday + 2 * DAY + 5 * 3_600_000; // Wednesday 05:00
    const h = aliveHistory(() => params, 'c', purchases, asOf);
    expect(h[0].at).toBe(monday - 29 * WEEK);
    expect(h.at(-1)!.at).toBe(monday);
    expect(h.every((e, i) => i === 0 || e.at - h[i - 1].at === WEEK)).toBe(true);
    expect(h.at(-1)!.p).toBeCloseTo(
      pAlive(params, { x: 2, tx: weeks(20 * WEEK), T: weeks(monday - first) }),
      4,
    );
    // Before the second purchase: no repeat yet, P(alive) = 1.
    expect(h[0].p).toBe(1);
  });

  it('does not depend on the instant of evaluation within or after the week', () => {
    const a = aliveHistory(() => params, 'c', purchases, monday);
    const b = aliveHistory(() => params, 'c', purchases, monday + 6 * DAY);
    const later = aliveHistory(() => params, 'c', purchases, monday + 9 * WEEK);
    expect(b).toEqual(a);
    expect(later.slice(0, a.length)).toEqual(a);
  });

  it('takes each week with the model of its own month, and skips weeks without one', () => {
    const june = modelCutoff(monday);
    const other = { ...params, a: 0.1 };
    const h = aliveHistory(
      (at) => (modelCutoff(at) === june ? other : at < june - 8 * WEEK ? null : params),
      'c',
      purchases,
      monday,
    );
    expect(h[0].at).toBeGreaterThanOrEqual(june - 8 * WEEK);
    expect(h.at(-1)!.p).toBeCloseTo(
      pAlive(other, { x: 2, tx: weeks(20 * WEEK), T: weeks(monday - first) }),
      4,
    );
    expect(h.at(-2)!.p).toBeCloseTo(
      pAlive(params, { x: 2, tx: weeks(20 * WEEK), T: weeks(monday - WEEK - first) }),
      4,
    );
  });

  it('is empty without purchases', () => {
    expect(aliveHistory(() => params, 'c', [], monday)).toEqual([]);
  });
});

describe('gridBetween', () => {
  it('lists the week starts (Monday 00:00 UTC) in [from, to]', () => {
    const monday = Date.UTC(2026, 5, 1);
    expect(gridBetween(monday, monday + WEEK)).toEqual([monday, monday + WEEK]);
    expect(gridBetween(monday + 1, monday + WEEK - 1)).toEqual([]);
    expect(weekStart(monday + 3 * DAY)).toBe(monday);
  });
});

describe('modelCutoff', () => {
  it('refits monthly in event time: the cut-off is the first of the month (UTC)', () => {
    expect(new Date(modelCutoff(Date.UTC(2026, 4, 31, 23, 59))).toISOString()).toBe(
      '2026-05-01T00:00:00.000Z',
    );
  });
});
