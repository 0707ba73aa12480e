import { matchesSubscription, type AlertSubscription, type MatchableDecision } from './subscription';

const sub = (over: Partial<AlertSubscription> = {}): AlertSubscription => ({
  dealerId: 'd1',
  subscriptionId: 's1',
  reasonCodes: null,
  minPriority: 0,
  alertTypes: ['churn.alert', 'task.escalated'],
  active: true,
  createdAtMs: 1_000,
  ...over,
});
const dec = (over: Partial<MatchableDecision> = {}): MatchableDecision => ({
  type: 'churn.alert',
  dealerId: 'd1',
  reasonCodes: ['DETRACTOR'],
  priority: 50,
  recordedAtMs: 2_000,
  ...over,
});

describe('matchesSubscription', () => {
  it('takes every reason code when the list is null', () => {
    expect(matchesSubscription(sub(), dec())).toBe(true);
    expect(matchesSubscription(sub(), dec({ reasonCodes: ['PURCHASE_GAP'] }))).toBe(true);
  });
  it('takes only listed reason codes (an escalated task matches on any of its reasons)', () => {
    const s = sub({ reasonCodes: ['DETRACTOR', 'MAINTENANCE_OVERDUE'] });
    expect(matchesSubscription(s, dec())).toBe(true);
    expect(matchesSubscription(s, dec({ reasonCodes: ['PURCHASE_GAP'] }))).toBe(false);
    expect(matchesSubscription(s, dec({ reasonCodes: ['PURCHASE_GAP', 'DETRACTOR'] }))).toBe(true);
    expect(matchesSubscription(sub({ reasonCodes: [] }), dec())).toBe(false);
  });
  it('applies the minimum priority inclusively', () => {
    expect(matchesSubscription(sub({ minPriority: 50 }), dec())).toBe(true);
    expect(matchesSubscription(sub({ minPriority: 50.01 }), dec())).toBe(false);
  });
  it('takes only the alert types the subscription names', () => {
    const churnOnly = sub({ alertTypes: ['churn.alert'] });
    expect(matchesSubscription(churnOnly, dec())).toBe(true);
    expect(matchesSubscription(churnOnly, dec({ type: 'task.escalated' }))).toBe(false);
    expect(matchesSubscription(sub(), dec({ type: 'task.escalated' }))).toBe(true);
  });
  it('never crosses dealers, skips inactive subscriptions and decisions recorded before it existed', () => {
    expect(matchesSubscription(sub(), dec({ dealerId: 'd2' }))).toBe(false);
    expect(matchesSubscription(sub({ active: false }), dec())).toBe(false);
    expect(matchesSubscription(sub({ createdAtMs: 2_001 }), dec())).toBe(false);
    expect(matchesSubscription(sub({ createdAtMs: 2_000 }), dec())).toBe(true);
  });
});
