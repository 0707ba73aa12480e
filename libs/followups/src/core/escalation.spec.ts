import { escalationStep } from './escalation';
import { T0 } from './spec-helpers';

describe('escalationStep', () => {
  const open = { status: 'open' as const, dueAtMs: T0, escalatedAtMs: null };

  it('escalates an open or claimed task at or after its due date', () => {
    expect(escalationStep(open, T0, T0)).toEqual({ kind: 'escalate' });
    expect(escalationStep({ ...open, status: 'claimed' }, T0, T0 + 1)).toEqual({ kind: 'escalate' });
  });

  it('waits when fired early', () => {
    expect(escalationStep(open, T0, T0 - 1)).toEqual({ kind: 'wait', untilMs: T0 });
  });

  it('skips gone, closed, held-out, escalated tasks and moved due dates', () => {
    expect(escalationStep(null, T0, T0)).toEqual({ kind: 'skip', why: 'no such task' });
    expect(escalationStep({ ...open, status: 'done' }, T0, T0)).toEqual({ kind: 'skip', why: 'task done' });
    expect(escalationStep({ ...open, status: 'holdout' }, T0, T0)).toEqual({
      kind: 'skip',
      why: 'task holdout',
    });
    expect(escalationStep({ ...open, escalatedAtMs: T0 }, T0, T0)).toEqual({
      kind: 'skip',
      why: 'already escalated',
    });
    expect(escalationStep({ ...open, dueAtMs: T0 - 5 }, T0, T0)).toEqual({
      kind: 'skip',
      why: 'due date moved',
    });
  });
});
