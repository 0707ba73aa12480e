import { RULES, at, customer, expectedId, purchase } from '../spec-helpers';
import { detectSpendErosion } from './spend-erosion';

const ASOF = at('2026-07-15'); // compares Jan-Jun 2026 with Jan-Jun 2025
function ctx(spendNow: number, hoursNow: number) {
  return {
    customer: customer({
      purchases: [purchase('p-old', at('2025-03-10'), 1000), purchase('p-new', at('2026-03-10'), spendNow)],
      fleetHours: [
        { at: at('2025-03-01'), hours: 100 },
        { at: at('2026-03-01'), hours: hoursNow },
      ],
    }),
    machines: [],
  };
}

describe('SPEND_EROSION', () => {
  it('fires when spend is below 50% of a year earlier while hours are at 80%', () => {
    const r = detectSpendErosion(ctx(499.99, 80), ASOF, RULES);
    expect(r.decisions).toHaveLength(1);
    expect(r.decisions[0]).toMatchObject({
      id: expectedId(null, 'SPEND_EROSION', 'since:2026-04'),
      serialNumber: null,
      family: 'lapse',
      message: 'spend \u221250% while hours \u221220%',
      evidenceEventIds: ['p-new', 'p-old'],
    });
  });

  it('does not fire at exactly 50% of spend, nor with hours at 79.9%', () => {
    expect(detectSpendErosion(ctx(500, 80), ASOF, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: at('2026-08-01'),
    });
    expect(detectSpendErosion(ctx(499.99, 79.9), ASOF, RULES).decisions).toEqual([]);
  });

  it('shows rising hours with a plus sign', () => {
    expect(detectSpendErosion(ctx(400, 110), ASOF, RULES).decisions[0].message).toBe(
      'spend \u221260% while hours +10%',
    );
  });

  it('keeps the episode from its first month while the as-of moves', () => {
    const ids = [at('2026-04-01'), at('2026-05-20'), at('2026-09-30')].map(
      (t) => detectSpendErosion(ctx(100, 100), t, RULES).decisions[0]?.id,
    );
    expect(new Set(ids)).toEqual(new Set([expectedId(null, 'SPEND_EROSION', 'since:2026-04')]));
    expect(detectSpendErosion(ctx(100, 100), at('2026-03-31T23:59:59Z'), RULES).decisions).toEqual([]);
  });

  it('needs revenue and fleet hours a year earlier; no timer without purchases that can matter', () => {
    const none = { customer: customer({ purchases: [purchase('p', at('2020-01-01'))] }), machines: [] };
    expect(detectSpendErosion(none, ASOF, RULES)).toEqual({ decisions: [], nextCheckAtMs: null });
    const noHours = { customer: { ...ctx(1, 1).customer, fleetHours: [] }, machines: [] };
    expect(detectSpendErosion(noHours, ASOF, RULES).decisions).toEqual([]);
  });
});
