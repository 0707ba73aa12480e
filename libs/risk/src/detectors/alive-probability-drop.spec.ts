import { DAY, RULES, at, customer, expectedId, purchase } from '../spec-helpers';
import type { AliveEstimate } from '../model/customer-state';
import { detectAliveProbabilityDrop } from './alive-probability-drop';

const WEEK = 7 * DAY;
const T0 = at('2026-01-05'); // a Monday: estimates sit on week starts
const buys = [
  purchase('p-1', at('2025-06-01')),
  purchase('p-2', at('2025-08-01')),
  purchase('p-3', at('2025-10-01')),
];
const ctx = (pAlive: AliveEstimate[], purchases = buys) => ({
  customer: customer({ purchases, pAlive }),
  machines: [],
});
/** One estimate per week from `from`. */
const weekly = (from: number, ps: number[]): AliveEstimate[] =>
  ps.map((p, i) => ({ at: from + i * WEEK, p }));
const since = (ms: number) => `since:${new Date(ms).toISOString()}`;

describe('ALIVE_PROBABILITY_DROP', () => {
  it('fires when P(alive) fell by 0.3 within 90 days (80% -> 50%)', () => {
    const r = detectAliveProbabilityDrop(ctx(weekly(T0, [0.8, 0.7, 0.6, 0.5])), T0 + 3 * WEEK + DAY, RULES);
    expect(r.decisions).toHaveLength(1);
    expect(r.decisions[0]).toMatchObject({
      id: expectedId(null, 'ALIVE_PROBABILITY_DROP', 'since:2026-01-26T00:00:00.000Z'),
      family: 'lapse',
      serialNumber: null,
      message: 'model says 50% still active (was 80%)',
      evidenceEventIds: ['p-3'],
      detectedAtMs: T0 + 3 * WEEK + DAY,
    });
  });

  it('does not fire for a fall of 0.29 that stays at 0.5 or above, and checks again next week', () => {
    const asOf = T0 + 3 * WEEK + 2 * DAY;
    expect(detectAliveProbabilityDrop(ctx(weekly(T0, [0.79, 0.6, 0.5, 0.5])), asOf, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: T0 + 4 * WEEK,
    });
  });

  it('fires below 0.5 (0.49) even without a fall', () => {
    const r = detectAliveProbabilityDrop(ctx([{ at: T0, p: 0.49 }]), T0, RULES);
    expect(r.decisions.map((d) => d.message)).toEqual(['model says 49% still active']);
    expect(r.nextCheckAtMs).toBe(T0 + WEEK);
  });

  it('rounds the percentages down, so a P(alive) just below 0.5 never reads as 50%', () => {
    for (const p of [0.49999, 0.496]) {
      const r = detectAliveProbabilityDrop(ctx(weekly(T0, [0.9, p])), T0 + WEEK, RULES);
      expect(r.decisions.map((d) => d.message)).toEqual(['model says 49% still active (was 90%)']);
    }
    // 0.29 and 0.58 are 29% and 58% (not 28% and 57% from float noise); 0.899 is 89%.
    const r = detectAliveProbabilityDrop(ctx(weekly(T0, [0.899, 0.58, 0.29])), T0 + 2 * WEEK, RULES);
    expect(r.decisions.map((d) => d.message)).toEqual(['model says 29% still active (was 89%)']);
    // At exactly 0.5 it fires only through the fall, and says 50%.
    const at50 = detectAliveProbabilityDrop(ctx(weekly(T0, [0.8, 0.5])), T0 + WEEK, RULES);
    expect(at50.decisions.map((d) => d.message)).toEqual(['model says 50% still active (was 80%)']);
  });

  it('ignores a peak older than 90 days', () => {
    const points = [
      { at: T0, p: 0.9 },
      { at: T0 + 13 * WEEK, p: 0.55 },
    ];
    expect(detectAliveProbabilityDrop(ctx(points), T0 + 13 * WEEK, RULES).decisions).toEqual([]);
    const inside = [
      { at: T0 + WEEK, p: 0.9 },
      { at: T0 + 13 * WEEK, p: 0.6 },
    ];
    expect(detectAliveProbabilityDrop(ctx(inside), T0 + 13 * WEEK, RULES).decisions).toHaveLength(1);
  });

  it('needs two repeat purchases (three purchase days), and no check until then', () => {
    expect(detectAliveProbabilityDrop(ctx([{ at: T0, p: 0.1 }], buys.slice(0, 2)), T0, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: null,
    });
  });

  it('counts only the estimates made once the customer had three purchase days', () => {
    const third = T0 + 2 * WEEK + DAY;
    const purchases = [...buys.slice(0, 2), purchase('p-3', third)];
    const points = weekly(T0, [0.4, 0.4, 0.4, 0.4, 0.4]);
    const r = detectAliveProbabilityDrop(ctx(points, purchases), T0 + 4 * WEEK, RULES);
    expect(r.decisions.map((d) => d.episode)).toEqual([since(T0 + 3 * WEEK)]);
    // Between the third purchase and the next week start, the latest estimate predates it: not yet.
    expect(detectAliveProbabilityDrop(ctx(points, purchases), third + DAY, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: T0 + 3 * WEEK,
    });
  });

  it('keeps the episode (and id) while the run lasts, however long and whenever evaluated', () => {
    const low = weekly(T0, [0.8, 0.45, ...Array<number>(40).fill(0.3)]);
    const ids = [1, 2, 9, 20, 41].map(
      (w) => detectAliveProbabilityDrop(ctx(low), T0 + w * WEEK + 3 * DAY, RULES).decisions[0],
    );
    expect(new Set(ids.map((d) => d.id)).size).toBe(1);
    expect(ids[0].episode).toBe(since(T0 + WEEK));
    expect(ids[4].message).toBe('model says 30% still active');
  });

  it('starts a new episode once the run broke', () => {
    const points = weekly(T0, [0.8, 0.45, 0.45, 0.7, 0.7, 0.45]);
    const first = detectAliveProbabilityDrop(ctx(points), T0 + 2 * WEEK, RULES).decisions[0];
    const again = detectAliveProbabilityDrop(ctx(points), T0 + 5 * WEEK, RULES).decisions[0];
    expect(first.episode).toBe(since(T0 + WEEK));
    expect(again.episode).toBe(since(T0 + 5 * WEEK));
    expect(detectAliveProbabilityDrop(ctx(points), T0 + 4 * WEEK, RULES).decisions).toEqual([]);
  });

  it('ignores estimates after asOf and cites the last purchase up to the latest estimate', () => {
    const late = purchase('p-4', T0 + WEEK + DAY);
    const points = weekly(T0, [0.8, 0.45, 0.9]);
    const r = detectAliveProbabilityDrop(ctx(points, [...buys, late]), T0 + WEEK + 2 * DAY, RULES);
    expect(r.decisions[0]).toMatchObject({ episode: since(T0 + WEEK), evidenceEventIds: ['p-3'] });
  });
});
