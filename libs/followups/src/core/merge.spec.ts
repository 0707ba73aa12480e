import { mergeIntoTask } from './merge';
import { decision, T0 } from './spec-helpers';
import { DAY_MS, reasonOf, type ActiveTask } from './task';

describe('mergeIntoTask', () => {
  const first = reasonOf(decision());
  const task: ActiveTask = {
    taskId: 't1',
    status: 'open',
    branchId: 'b1',
    reasons: [first],
    priority: 10,
    valueAtRisk: 1000,
    dueAtMs: T0 + 14 * DAY_MS,
  };

  it('adds a new reason code, raises priority and value, keeps the earliest due date', () => {
    const second = reasonOf(
      decision({ id: 'd2', reasonCode: 'MAINTENANCE_OVERDUE', detectedAtMs: T0 + DAY_MS }),
    );
    const m = mergeIntoTask(task, {
      reason: second,
      priority: 25,
      valueAtRisk: 800,
      dueAtMs: T0 + 15 * DAY_MS,
    });
    expect(m).toEqual({
      reasons: [first, second],
      priority: 25,
      valueAtRisk: 1000,
      dueAtMs: T0 + 14 * DAY_MS,
      changed: true,
    });
  });

  it('never duplicates a reason code and keeps its first detection', () => {
    const again = reasonOf(decision({ id: 'd3', detectedAtMs: T0 + 40 * DAY_MS }));
    const m = mergeIntoTask(task, { reason: again, priority: 5, valueAtRisk: 10, dueAtMs: T0 + 54 * DAY_MS });
    expect(m).toEqual({
      reasons: [first],
      priority: 10,
      valueAtRisk: 1000,
      dueAtMs: T0 + 14 * DAY_MS,
      changed: false,
    });
  });

  it('moves the due date earlier for a more urgent signal', () => {
    const urgent = reasonOf(decision({ id: 'd4', reasonCode: 'ACTIVE_BUT_SILENT' }));
    const m = mergeIntoTask(task, {
      reason: urgent,
      priority: 10,
      valueAtRisk: 1000,
      dueAtMs: T0 + 2 * DAY_MS,
    });
    expect(m.dueAtMs).toBe(T0 + 2 * DAY_MS);
    expect(m.reasons.map((r) => r.code)).toEqual(['ACTIVE_BUT_SILENT', 'POST_WARRANTY_NO_SERVICE']);
  });
});
