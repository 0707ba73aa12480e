import type { CustomerState, Decision } from '@rp/risk';
import { DEFAULT_VALUE_SETTINGS, valueDecision } from './decision-value';

const DAY = 86_400_000;
const asOf = Date.UTC(2026, 5, 1);
const decision = (family: Decision['family'], warrantyEndsAtMs?: number): Decision => ({
  id: 'x',
  dealerId: 'd',
  customerId: 'c',
  serialNumber: 's',
  reasonCode: 'POST_WARRANTY_NO_SERVICE',
  family,
  message: 'm',
  evidenceEventIds: [],
  ruleId: 'r',
  ruleVersion: '1',
  detectedAtMs: asOf,
  episode: 'e',
  urgency: warrantyEndsAtMs === undefined ? {} : { warrantyEndsAtMs },
});
const customer = (
  purchases: CustomerState['purchases'],
  pAliveHistory: CustomerState['pAlive'] = [],
): CustomerState => ({
  dealerId: 'd',
  customerId: 'c',
  branchId: 'b',
  purchases,
  complaints: [],
  surveys: [],
  pAlive: pAliveHistory,
  fleetHours: [],
  unattributedWorkOrders: [],
});

describe('valueDecision', () => {
  const oneYear = [
    { at: asOf - 100 * DAY, eventId: 'p1', amount: 1000, kind: 'parts' as const },
    { at: asOf - 400 * DAY, eventId: 'p0', amount: 99_999, kind: 'parts' as const }, // outside 12 months
    { at: asOf - 10 * DAY, eventId: 's1', amount: 500, kind: 'service' as const },
  ];

  it('follows PRODUCT.md: CLV = m·r/(1+d−r), VaR = (1−r)·CLV, priority = VaR × family weight', () => {
    // m = 1000·0.25 + 500·0.6 = 550; r = 0.7; CLV = 550·0.7/0.4 = 962.5; VaR = 0.3·962.5 = 288.75; ×1.2
    expect(valueDecision(decision('lapse'), customer(oneYear), 1, DEFAULT_VALUE_SETTINGS)).toEqual({
      clv: 962.5,
      pLapse: 0.3,
      valueAtRisk: 288.75,
      priority: 346.5,
    });
  });

  it('doubles urgency when the warranty ends within 30 days, not 31', () => {
    const v30 = valueDecision(
      decision('coverage', asOf + 30 * DAY),
      customer(oneYear),
      1,
      DEFAULT_VALUE_SETTINGS,
    );
    const v31 = valueDecision(
      decision('coverage', asOf + 31 * DAY),
      customer(oneYear),
      1,
      DEFAULT_VALUE_SETTINGS,
    );
    expect([v30.priority, v31.priority]).toEqual([577.5, 288.75]);
  });

  it('uses the latest P(alive) known at detection as retention, and a baseline margin without history', () => {
    const v = valueDecision(
      decision('experience'),
      customer(
        [],
        [
          { at: asOf - DAY, p: 0.5 },
          { at: asOf + DAY, p: 0.9 },
        ],
      ),
      2,
      DEFAULT_VALUE_SETTINGS,
    );
    // m = 2 machines × 1000; CLV = 2000·0.5/0.6 = 1666.67; VaR = 833.33; ×1.5
    expect(v).toEqual({ clv: 1666.67, pLapse: 0.5, valueAtRisk: 833.33, priority: 1250 });
  });
});
