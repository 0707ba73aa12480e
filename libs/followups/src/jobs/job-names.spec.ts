import { decisionJobId, escalationJobId } from './job-names';

describe('job ids', () => {
  it('are deterministic and free of the ":" BullMQ refuses', () => {
    expect(decisionJobId('dealer-1', 'ab12')).toBe('decision.dealer-1.ab12');
    expect(decisionJobId('a:b.c', 'ab12')).toBe('decision.a%3Ab%2Ec.ab12');
    expect(escalationJobId('dealer-1', 't1', 1772323200000)).toBe('escalate.dealer-1.t1.1772323200000');
  });
});
