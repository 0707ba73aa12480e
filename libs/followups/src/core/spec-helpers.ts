import type { FollowupDecision } from './task';

export const T0 = Date.UTC(2026, 2, 1); // 2026-03-01T00:00:00Z

/** A valid decision with overridable fields (unit tests only). */
export const decision = (over: Partial<FollowupDecision> = {}): FollowupDecision => ({
  id: 'd1',
  dealerId: 'dealer-1',
  customerId: 'c1',
  serialNumber: 'SN1',
  branchId: 'b1',
  reasonCode: 'POST_WARRANTY_NO_SERVICE',
  family: 'lapse',
  message: 'No dealer service since the warranty ended',
  evidenceEventIds: ['e1'],
  ruleVersion: '1',
  detectedAtMs: T0,
  urgency: {},
  valueAtRisk: 1000,
  priority: 10,
  ...over,
});
