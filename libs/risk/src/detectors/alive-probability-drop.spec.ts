import { DAY, RULES, at, customer, expectedId, purchase } from '../spec-helpers';
import type { AliveEstimate } from '../model/customer-state';
import { detectAliveProbabilityDrop } from './alive-probability-drop';

const T0 = at('2026-01-01');
const buys = [
  purchase('p-1', at('2025-06-01')),
  purchase('p-2', at('2025-08-01')),
  purchase('p-3', at('2025-10-01')),
];
const ctx = (pAlive: AliveEstimate[], purchases = buys) => ({
  customer: customer({ purchases, pAlive }),
  machines: [],
});

describe('ALIVE_PROBABILITY_DROP', () => {
  it('fires when P(alive) fell by 0.3 within 90 days (80% -> 50%)', () => {
    const r = detectAliveProbabilityDrop(
      ctx([
        { at: T0, p: 0.8 },
        { at: T0 + 60 * DAY, p: 0.5 },
      ]),
      T0 + 61 * DAY,
      RULES,
    );
    expect(r.decisions).toHaveLength(1);
    expect(r.decisions[0]).toMatchObject({
      id: expectedId(null, 'ALIVE_PROBABILITY_DROP', 'since:2026-03-02T00:00:00.000Z'),
      family: 'lapse',
      serialNumber: null,
      message: 'model says 50% still active (was 80%)',
      evidenceEventIds: ['p-3'],
    });
  });

  it('does not fire for a fall of 0.29 that stays at 0.5 or above', () => {
    expect(
      detectAliveProbabilityDrop(
        ctx([
          { at: T0, p: 0.79 },
          { at: T0 + 60 * DAY, p: 0.5 },
        ]),
        T0 + 61 * DAY,
        RULES,
      ),
    ).toEqual({
      decisions: [],
      nextCheckAtMs: null,
    });
  });

  it('fires below 0.5 (0.49) even without a fall', () => {
    const r = detectAliveProbabilityDrop(ctx([{ at: T0, p: 0.49 }]), T0, RULES);
    expect(r.decisions.map((d) => d.message)).toEqual(['model says 49% still active']);
  });

  it('ignores a peak older than 90 days', () => {
    const points = [
      { at: T0, p: 0.9 },
      { at: T0 + 91 * DAY, p: 0.55 },
    ];
    expect(detectAliveProbabilityDrop(ctx(points), T0 + 91 * DAY, RULES).decisions).toEqual([]);
    const inside = [
      { at: T0, p: 0.9 },
      { at: T0 + 90 * DAY, p: 0.6 },
    ];
    expect(detectAliveProbabilityDrop(ctx(inside), T0 + 90 * DAY, RULES).decisions).toHaveLength(1);
  });

  it('needs two repeat purchases (three purchase days)', () => {
    expect(
      detectAliveProbabilityDrop(ctx([{ at: T0, p: 0.1 }], buys.slice(0, 2)), T0, RULES).decisions,
    ).toEqual([]);
  });

  it('keeps the episode (and id) while new low estimates arrive', () => {
    const first = [
      { at: T0, p: 0.8 },
      { at: T0 + 60 * DAY, p: 0.5 },
    ];
    const later = [...first, { at: T0 + 70 * DAY, p: 0.45 }, { at: T0 + 200 * DAY, p: 0.3 }];
    const a = detectAliveProbabilityDrop(ctx(first), T0 + 60 * DAY, RULES).decisions[0];
    const b = detectAliveProbabilityDrop(ctx(later), T0 + 200 * DAY, RULES).decisions[0];
    expect(b.id).toBe(a.id);
    expect(b.message).toBe('model says 30% still active');
  });
});
