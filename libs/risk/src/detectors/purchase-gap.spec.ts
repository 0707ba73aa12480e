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

  it('with one purchase day (several purchases on it are one occasion) uses max(42, no gap) = 42 days', () => {
    const one = {
      customer: customer({ purchases: [purchase('a', T0), purchase('b', T0 + 3_600_000)] }),
      machines: [],
    };
    const last = T0 + 3_600_000;
    expect(detectPurchaseGap(one, last + 43 * DAY - 1, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: last + 43 * DAY,
    });
    expect(detectPurchaseGap(one, last + 43 * DAY, RULES)).toEqual({
      decisions: [
        expect.objectContaining({
          id: expectedId(null, 'PURCHASE_GAP', 'after:b'),
          message: 'purchase gap 43 days vs usual 42 days',
          evidenceEventIds: ['b'],
        }),
      ],
      nextCheckAtMs: null,
    });
  });

  it('stays quiet with fewer purchase days than its own gap needs when older purchases were not loaded', () => {
    const windowed = {
      customer: customer({
        purchases: [purchase('a', T0)],
        purchaseBeforeHistory: { at: T0 - 1200 * DAY, eventId: 'old' },
      }),
      machines: [],
    };
    expect(detectPurchaseGap(windowed, T0 + 300 * DAY, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: null,
    });
    // With no purchase at all there is no gap to measure (ACTIVE_BUT_SILENT covers that customer).
    const none = { customer: customer(), machines: [] };
    expect(detectPurchaseGap(none, T0 + 300 * DAY, RULES)).toEqual({ decisions: [], nextCheckAtMs: null });
  });

  it('keeps its id as time passes', () => {
    const { ctx, last } = withGaps([7, 7, 7]);
    expect(detectPurchaseGap(ctx, last + 90 * DAY, RULES).decisions[0].id).toBe(
      detectPurchaseGap(ctx, last + 43 * DAY, RULES).decisions[0].id,
    );
  });
});
