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

  it('keeps the pending warranty end of the priority it keeps (a doubled priority is not doubled again)', () => {
    const second = reasonOf(decision({ id: 'd4', reasonCode: 'MAINTENANCE_OVERDUE' }));
    const end = T0 + 60 * DAY_MS;
    const base = { reason: second, valueAtRisk: 1, dueAtMs: T0 + 20 * DAY_MS };
    // The task's 10 already includes its urgency (no pending end); a lower signal's end does not count.
    expect(
      mergeIntoTask(task, { ...base, priority: 5, warrantyEndsAtMs: end }).warrantyEndsAtMs,
    ).toBeUndefined();
    // A higher signal brings its own end with its priority.
    expect(mergeIntoTask(task, { ...base, priority: 12, warrantyEndsAtMs: end })).toMatchObject({
      priority: 12,
      warrantyEndsAtMs: end,
    });
    // Equal priorities: the earlier end of both.
    const pending = { ...task, warrantyEndsAtMs: end + DAY_MS };
    expect(mergeIntoTask(pending, { ...base, priority: 10, warrantyEndsAtMs: end }).warrantyEndsAtMs).toBe(
      end,
    );
    expect(mergeIntoTask(pending, { ...base, priority: 3 }).warrantyEndsAtMs).toBe(end + DAY_MS);
  });
});
