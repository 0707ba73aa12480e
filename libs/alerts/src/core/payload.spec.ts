import { alertPayload, deliveryIdFor, parseAlertDecision } from './payload';

const decision = {
  id: 'dec-1',
  dealerId: 'd1',
  customerId: 'c-1',
  serialNumber: 'SN-1',
  branchId: 'b-1',
  reasonCode: 'DETRACTOR',
  family: 'experience',
  message: 'close the loop within 48 h',
  evidenceEventIds: ['ev-1'],
  ruleId: 'default:DETRACTOR',
  ruleVersion: '1',
  detectedAtMs: Date.UTC(2026, 2, 1),
  urgency: {},
  clv: 5000,
  pLapse: 0.3,
  valueAtRisk: 1500,
  priority: 42,
};

describe('alert payload', () => {
  it('carries the decision with an ISO detectedAt and no internal fields', () => {
    const parsed = parseAlertDecision(decision);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(alertPayload(parsed.decision, 'del-1', 'sub-1')).toEqual({
      type: 'churn.alert',
      deliveryId: 'del-1',
      dealerId: 'd1',
      subscriptionId: 'sub-1',
      decision: {
        id: 'dec-1',
        customerId: 'c-1',
        serialNumber: 'SN-1',
        branchId: 'b-1',
        reasonCode: 'DETRACTOR',
        family: 'experience',
        message: 'close the loop within 48 h',
        evidenceEventIds: ['ev-1'],
        ruleVersion: '1',
        detectedAt: '2026-03-01T00:00:00.000Z',
        priority: 42,
        valueAtRisk: 1500,
      },
    });
  });
  it('is the same bytes on every attempt', () => {
    const parsed = parseAlertDecision(decision);
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(JSON.stringify(alertPayload(parsed.decision, 'x', 's'))).toBe(
      JSON.stringify(alertPayload(parsed.decision, 'x', 's')),
    );
  });
  it('keeps customer-level decisions (no machine, no branch)', () => {
    const parsed = parseAlertDecision({ ...decision, serialNumber: null, branchId: undefined });
    if (!parsed.ok) throw new Error(parsed.reason);
    const p = alertPayload(parsed.decision, 'x', 's');
    expect(p.decision.serialNumber).toBeNull();
    expect(p.decision.branchId).toBeNull();
  });
  it('names the first bad field of a payload that can never be alerted', () => {
    expect(parseAlertDecision({ ...decision, priority: 'high' })).toEqual({
      ok: false,
      reason: 'invalid decision: priority: Invalid input: expected number, received string',
    });
    expect(parseAlertDecision(null)).toMatchObject({ ok: false });
  });
  it('derives one delivery id per (dealer, decision, subscription)', () => {
    const a = deliveryIdFor('d1', 'dec-1', 'sub-1');
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(deliveryIdFor('d1', 'dec-1', 'sub-1')).toBe(a);
    expect(deliveryIdFor('d1', 'dec-1', 'sub-2')).not.toBe(a);
    expect(deliveryIdFor('d2', 'dec-1', 'sub-1')).not.toBe(a);
  });
});
