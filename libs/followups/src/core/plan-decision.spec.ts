import { holdoutBucket } from './holdout';
import { planDecision } from './plan-decision';
import { DEFAULT_FOLLOWUP_RULES as R } from './settings';
import { decision, T0 } from './spec-helpers';
import { taskIdFor } from './task-id';
import { DAY_MS, reasonOf } from './task';

describe('planDecision', () => {
  const d = decision();

  it('opens a task routed to the decision branch, due by event time', () => {
    expect(planDecision(d, { active: null, lastOutcome: null }, R)).toEqual({
      kind: 'create',
      task: {
        taskId: taskIdFor('dealer-1', 'd1'),
        status: 'open',
        branchId: 'b1',
        reasons: [reasonOf(d)],
        priority: 10,
        valueAtRisk: 1000,
        dueAtMs: T0 + 14 * DAY_MS,
      },
    });
    expect(taskIdFor('dealer-1', 'd1')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('merges into the active task before looking at the cool-down', () => {
    const active = {
      taskId: 't1',
      status: 'claimed' as const,
      reasons: [],
      priority: 50,
      valueAtRisk: 1,
      dueAtMs: T0,
    };
    const p = planDecision(d, { active, lastOutcome: { outcome: 'unreachable', closedAtMs: T0 } }, R);
    expect(p).toMatchObject({
      kind: 'merge',
      taskId: 't1',
      status: 'claimed',
      priority: 50,
      valueAtRisk: 1000,
      dueAtMs: T0,
    });
  });

  it('suppresses within the cool-down of an outcome for the same reason', () => {
    const last = { outcome: 'service-booked', closedAtMs: T0 - 10 * DAY_MS };
    expect(planDecision(d, { active: null, lastOutcome: last }, R)).toEqual({
      kind: 'suppress',
      detail: 'cool-down: POST_WARRANTY_NO_SERVICE closed as service-booked at 2026-02-19T00:00:00.000Z',
    });
    expect(planDecision(d, { active: null, lastOutcome: last }, { ...R, cooldownDays: 5 }).kind).toBe(
      'create',
    );
  });

  it('records a held-out customer as holdout', () => {
    const share = (holdoutBucket('dealer-1', 'c1') + 1) / 10_000;
    const p = planDecision(d, { active: null, lastOutcome: null }, { ...R, holdoutShare: share });
    expect(p).toMatchObject({ kind: 'create', task: { status: 'holdout' } });
  });
});
