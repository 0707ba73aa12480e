import { holdoutBucket } from './holdout';
import { planDecision } from './plan-decision';
import { DEFAULT_FOLLOWUP_RULES as R } from './settings';
import { decision, T0 } from './spec-helpers';
import { taskIdFor } from './task-id';
import { DAY_MS, reasonOf, type ActiveTask } from './task';

describe('planDecision', () => {
  const d = decision();

  it('opens a task routed to the decision branch, due by event time', () => {
    expect(planDecision(d, { active: null, lastOutcome: null, heldOut: false }, R, T0)).toEqual({
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

  const active: ActiveTask = {
    taskId: 't1',
    status: 'claimed',
    branchId: 'b1',
    reasons: [reasonOf(decision({ id: 'd0', reasonCode: 'MAINTENANCE_OVERDUE' }))],
    priority: 50,
    valueAtRisk: 1,
    dueAtMs: T0,
  };

  it('merges into the active task, keeping its earlier due date and its branch', () => {
    const p = planDecision(d, { active, lastOutcome: null, heldOut: false }, R, T0);
    expect(p).toEqual({
      kind: 'merge',
      taskId: 't1',
      status: 'claimed',
      branchId: 'b1',
      reasons: [active.reasons[0], reasonOf(d)],
      priority: 50,
      valueAtRisk: 1000,
      dueAtMs: T0,
      changed: true,
    });
  });

  it('suppresses a new reason in its cool-down even when a task of its family is active', () => {
    const last = { outcome: 'service-booked', closedAtMs: T0 - 5 * DAY_MS };
    expect(planDecision(d, { active, lastOutcome: last, heldOut: false }, R, T0)).toEqual({
      kind: 'suppress',
      detail: 'cool-down: POST_WARRANTY_NO_SERVICE closed as service-booked at 2026-02-24T00:00:00.000Z',
    });
    // A reason already on the active task is the same signal again: it merges (nothing changes).
    const again = decision({ id: 'd2', reasonCode: 'MAINTENANCE_OVERDUE', priority: 1, valueAtRisk: 1 });
    expect(planDecision(again, { active, lastOutcome: last, heldOut: false }, R, T0)).toMatchObject({
      kind: 'merge',
      taskId: 't1',
      changed: false,
    });
  });

  it('routes an unrouted task with the first decision that knows the branch', () => {
    const unrouted = { ...active, branchId: '', reasons: [reasonOf(d)], priority: 10, valueAtRisk: 1000 };
    expect(planDecision(d, { active: unrouted, lastOutcome: null, heldOut: false }, R, T0)).toMatchObject({
      kind: 'merge',
      branchId: 'b1',
      changed: true,
    });
    const stillUnknown = decision({ branchId: '' });
    expect(
      planDecision(stillUnknown, { active: unrouted, lastOutcome: null, heldOut: false }, R, T0),
    ).toMatchObject({
      kind: 'merge',
      branchId: '',
      changed: false,
    });
    // A routed task keeps its branch.
    expect(
      planDecision(decision({ branchId: 'b2' }), { active, lastOutcome: null, heldOut: false }, R, T0),
    ).toMatchObject({
      branchId: 'b1',
    });
  });

  it('opens an unrouted task for a decision without a branch', () => {
    expect(
      planDecision(decision({ branchId: '' }), { active: null, lastOutcome: null, heldOut: false }, R, T0),
    ).toMatchObject({
      kind: 'create',
      task: { branchId: '', status: 'open' },
    });
  });

  it('gives a decision from a backlog its full window from arrival, not an overdue task', () => {
    const now = T0 + 100 * DAY_MS;
    expect(planDecision(d, { active: null, lastOutcome: null, heldOut: false }, R, now)).toMatchObject({
      kind: 'create',
      task: { dueAtMs: now + 14 * DAY_MS },
    });
    // On a merge, the late reason can bring the due date no earlier than its own window from arrival.
    const late = { ...active, reasons: [], dueAtMs: now + 30 * DAY_MS };
    expect(planDecision(d, { active: late, lastOutcome: null, heldOut: false }, R, now)).toMatchObject({
      kind: 'merge',
      dueAtMs: now + 14 * DAY_MS,
    });
  });

  it('suppresses within the cool-down of an outcome for the same reason', () => {
    const last = { outcome: 'service-booked', closedAtMs: T0 - 10 * DAY_MS };
    expect(planDecision(d, { active: null, lastOutcome: last, heldOut: false }, R, T0)).toEqual({
      kind: 'suppress',
      detail: 'cool-down: POST_WARRANTY_NO_SERVICE closed as service-booked at 2026-02-19T00:00:00.000Z',
    });
    expect(
      planDecision(d, { active: null, lastOutcome: last, heldOut: false }, { ...R, cooldownDays: 5 }, T0)
        .kind,
    ).toBe('create');
  });

  it('records a new task of a held-out customer as holdout, as its recorded holdout says (not the share)', () => {
    const held = planDecision(d, { active: null, lastOutcome: null, heldOut: true }, R, T0);
    expect(held).toMatchObject({ kind: 'create', task: { status: 'holdout' } });
    const share = (holdoutBucket('dealer-1', 'c1') + 1) / 10_000;
    const notHeld = planDecision(
      d,
      { active: null, lastOutcome: null, heldOut: false },
      { ...R, holdoutShare: share },
      T0,
    );
    expect(notHeld).toMatchObject({ kind: 'create', task: { status: 'open' } });
  });
});

describe('routing on a merge', () => {
  const open: ActiveTask = {
    taskId: 't1',
    status: 'open',
    branchId: 'b-old',
    reasons: [reasonOf(decision({ id: 'd0', reasonCode: 'MAINTENANCE_OVERDUE' }))],
    priority: 50,
    valueAtRisk: 1,
    dueAtMs: T0,
  };
  const moved = (status: ActiveTask['status'], branchId: string, decisionBranch: string) =>
    planDecision(
      decision({ branchId: decisionBranch }),
      { active: { ...open, status, branchId }, lastOutcome: null, heldOut: false },
      R,
      T0,
    );

  it("moves an open task or a holdout record to the decision's branch (the customer moved)", () => {
    expect(moved('open', 'b-old', 'b-new')).toMatchObject({
      kind: 'merge',
      branchId: 'b-new',
      changed: true,
    });
    expect(moved('holdout', 'b-old', 'b-new')).toMatchObject({ kind: 'merge', branchId: 'b-new' });
  });

  it('keeps a claimed task with its assignee, and a task routed when the decision knows no branch', () => {
    expect(moved('claimed', 'b-old', 'b-new')).toMatchObject({ kind: 'merge', branchId: 'b-old' });
    expect(moved('claimed', '', 'b-new')).toMatchObject({ kind: 'merge', branchId: 'b-new' });
    expect(moved('open', 'b-old', '')).toMatchObject({ kind: 'merge', branchId: 'b-old' });
  });

  it('reports an unchanged task when only the same reason arrives from the same branch', () => {
    const again = planDecision(
      decision({
        id: 'd9',
        reasonCode: 'MAINTENANCE_OVERDUE',
        branchId: 'b-old',
        priority: 1,
        valueAtRisk: 1,
      }),
      { active: open, lastOutcome: null, heldOut: false },
      R,
      T0,
    );
    expect(again).toMatchObject({ kind: 'merge', branchId: 'b-old', changed: false });
  });
});
