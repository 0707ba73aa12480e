import { DAY, RULES, at, customer, expectedId, purchase } from '../spec-helpers';
import { detectPurchaseGap } from './purchase-gap';

const T0 = at('2025-01-01');
/** Purchases separated by the given gaps in days; the last one is `p-<n>`. */
function withGaps(gaps: number[]) {
  let t = T0;
  const purchases = [purchase('p-0', t)];
  gaps.forEach((g, i) => {
    t += g * DAY;
    purchases.push(purchase(`p-${i + 1}`, t));
  });
  return { ctx: { customer: customer({ purchases }), machines: [] }, last: t };
}

describe('PURCHASE_GAP', () => {
  it('uses the customer own 90th-percentile gap when above 42 days: 51 > 50 fires', () => {
    const { ctx, last } = withGaps([10, 20, 30, 50]);
    const r = detectPurchaseGap(ctx, last + 51 * DAY, RULES);
    expect(r.decisions).toHaveLength(1);
    expect(r.decisions[0]).toMatchObject({
      id: expectedId(null, 'PURCHASE_GAP', 'after:p-4'),
      family: 'lapse',
      serialNumber: null,
      message: 'purchase gap 51 days vs usual 50 days',
      evidenceEventIds: ['p-4'],
    });
    expect(detectPurchaseGap(ctx, last + 51 * DAY - 1, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: last + 51 * DAY,
    });
  });

  it('uses 42 days for a frequent buyer: day 43 fires, day 42 does not', () => {
    const { ctx, last } = withGaps([7, 7, 7]);
    expect(detectPurchaseGap(ctx, last + 42 * DAY, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: last + 43 * DAY,
    });
    expect(detectPurchaseGap(ctx, last + 43 * DAY, RULES).decisions[0].message).toBe(
      'purchase gap 43 days vs usual 42 days',
    );
  });

  it('needs two purchase days; several purchases on one day are one occasion', () => {
    const one = {
      customer: customer({ purchases: [purchase('a', T0), purchase('b', T0 + 3_600_000)] }),
      machines: [],
    };
    expect(detectPurchaseGap(one, T0 + 300 * DAY, RULES)).toEqual({ decisions: [], nextCheckAtMs: null });
  });

  it('keeps its id as time passes', () => {
    const { ctx, last } = withGaps([7, 7, 7]);
    expect(detectPurchaseGap(ctx, last + 90 * DAY, RULES).decisions[0].id).toBe(
      detectPurchaseGap(ctx, last + 43 * DAY, RULES).decisions[0].id,
    );
  });
});
