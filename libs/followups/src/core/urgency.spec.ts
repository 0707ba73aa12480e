import { mergeIntoTask } from './merge';
import { planDecision } from './plan-decision';
import { DEFAULT_FOLLOWUP_RULES as R } from './settings';
import { decision, T0 } from './spec-helpers';
import { DAY_MS, reasonOf, type ActiveTask } from './task';
import { effectivePriority, pendingWarrantyEndMs } from './urgency';

describe('warranty urgency in the task layer', () => {
  const coverage = (endsInDays: number) =>
    decision({
      reasonCode: 'WARRANTY_ENDING_UNCOVERED',
      family: 'coverage',
      urgency: { warrantyEndsAtMs: T0 + endsInDays * DAY_MS },
    });

  it('keeps the warranty end of a decision valued at urgency 1 (more than 30 whole days ahead), published without a factor', () => {
    expect(pendingWarrantyEndMs(coverage(90))).toBe(T0 + 90 * DAY_MS);
    expect(pendingWarrantyEndMs(coverage(31))).toBe(T0 + 31 * DAY_MS);
    // Already valued ×2, ended, or no warranty: nothing left to double.
    expect(pendingWarrantyEndMs(coverage(30))).toBeUndefined();
    expect(pendingWarrantyEndMs(coverage(-1))).toBeUndefined();
    expect(pendingWarrantyEndMs(decision())).toBeUndefined();
  });

  it("leaves nothing to double when valuing already applied ×2, e.g. for the fleet's coverage end", () => {
    // Own end 60 days ahead, another machine's coverage ends in 10: valued ×2 at detection (review finding 2).
    const d = { ...coverage(60), urgencyFactor: 2 as const, urgencyEndsAtMs: T0 + 10 * DAY_MS };
    expect(pendingWarrantyEndMs(d)).toBeUndefined();
    expect(effectivePriority(2100, pendingWarrantyEndMs(d), T0 + 40 * DAY_MS)).toBe(2100);
    expect(pendingWarrantyEndMs({ ...decision(), urgencyFactor: 2 })).toBeUndefined();
  });

  it("keeps the nearest end valuing weighed when it applied ×1, the fleet's coverage end included", () => {
    const fleetFirst = { ...coverage(90), urgencyFactor: 1 as const, urgencyEndsAtMs: T0 + 45 * DAY_MS };
    expect(pendingWarrantyEndMs(fleetFirst)).toBe(T0 + 45 * DAY_MS);
    const ownFirst = { ...coverage(40), urgencyFactor: 1 as const, urgencyEndsAtMs: T0 + 40 * DAY_MS };
    expect(pendingWarrantyEndMs(ownFirst)).toBe(T0 + 40 * DAY_MS);
    // A lapse decision names no warranty: the fleet's coverage end is the one to double at.
    const fleetOnly = { ...decision(), urgencyFactor: 1 as const, urgencyEndsAtMs: T0 + 31 * DAY_MS };
    expect(pendingWarrantyEndMs(fleetOnly)).toBe(T0 + 31 * DAY_MS);
    expect(pendingWarrantyEndMs({ ...decision(), urgencyFactor: 1 })).toBeUndefined();
    expect(pendingWarrantyEndMs({ ...coverage(-1), urgencyFactor: 1 })).toBeUndefined();
  });

  it('doubles the priority while the warranty end is 0..30 whole days ahead of the reader', () => {
    const ends = T0 + 90 * DAY_MS;
    expect(effectivePriority(525, ends, T0)).toBe(525);
    expect(effectivePriority(525, ends, ends - 31 * DAY_MS)).toBe(525);
    expect(effectivePriority(525, ends, ends - 31 * DAY_MS + 1)).toBe(1050);
    expect(effectivePriority(525, ends, ends - 5 * DAY_MS)).toBe(1050);
    expect(effectivePriority(525, ends, ends)).toBe(1050);
    expect(effectivePriority(525, ends, ends + 1)).toBe(525);
    expect(effectivePriority(525, undefined, ends)).toBe(525);
  });

  it('records the pending warranty end on a new task and keeps the earliest on a merge', () => {
    const created = planDecision(coverage(90), { active: null, lastOutcome: null, heldOut: false }, R, T0);
    expect(created).toMatchObject({ kind: 'create', task: { warrantyEndsAtMs: T0 + 90 * DAY_MS } });
    const task: ActiveTask = {
      taskId: 't1',
      status: 'open',
      branchId: 'b1',
      reasons: [reasonOf(decision())],
      priority: 10,
      valueAtRisk: 1,
      dueAtMs: T0,
      warrantyEndsAtMs: T0 + 60 * DAY_MS,
    };
    const base = { reason: reasonOf(decision()), priority: 10, valueAtRisk: 1, dueAtMs: T0 };
    expect(mergeIntoTask(task, { ...base, warrantyEndsAtMs: T0 + 40 * DAY_MS })).toMatchObject({
      warrantyEndsAtMs: T0 + 40 * DAY_MS,
      changed: true,
    });
    expect(mergeIntoTask(task, { ...base, warrantyEndsAtMs: T0 + 80 * DAY_MS })).toMatchObject({
      warrantyEndsAtMs: T0 + 60 * DAY_MS,
      changed: false,
    });
    expect(mergeIntoTask({ ...task, warrantyEndsAtMs: undefined }, base)).toMatchObject({
      warrantyEndsAtMs: undefined,
      changed: false,
    });
  });
});
