import { DEFAULT_FOLLOWUP_RULES as R } from './settings';
import { dueAtMs, heldDueAtMs } from './due-date';
import { decision, T0 } from './spec-helpers';
import { DAY_MS } from './task';

describe('dueAtMs', () => {
  it('is detection + the family days without urgency hints', () => {
    expect(dueAtMs(decision({ family: 'lapse' }), R)).toBe(T0 + 14 * DAY_MS);
    expect(dueAtMs(decision({ reasonCode: 'DETRACTOR', family: 'experience' }), R)).toBe(T0 + 2 * DAY_MS);
    expect(dueAtMs(decision({ reasonCode: 'FAULT_WITHOUT_VISIT', family: 'technical' }), R)).toBe(
      T0 + 3 * DAY_MS,
    );
  });

  it('is 7 days before a warranty end still 20 days ahead', () => {
    const d = decision({
      reasonCode: 'WARRANTY_ENDING_UNCOVERED',
      family: 'coverage',
      urgency: { warrantyEndsAtMs: T0 + 20 * DAY_MS },
    });
    expect(dueAtMs(d, R)).toBe(T0 + 7 * DAY_MS); // family days (7) < end - 7 (13)
    expect(dueAtMs({ ...d, urgency: { warrantyEndsAtMs: T0 + 10 * DAY_MS } }, R)).toBe(T0 + 3 * DAY_MS);
  });

  it('is at least a day after detection and never after a close warranty end', () => {
    const base = { reasonCode: 'WARRANTY_ENDING_UNCOVERED', family: 'coverage' } as const;
    expect(dueAtMs(decision({ ...base, urgency: { warrantyEndsAtMs: T0 + 3 * DAY_MS } }), R)).toBe(
      T0 + DAY_MS,
    );
    expect(dueAtMs(decision({ ...base, urgency: { warrantyEndsAtMs: T0 + 3_600_000 } }), R)).toBe(
      T0 + 3_600_000,
    );
  });

  it('ignores a warranty end already past and honours a respond-by ahead', () => {
    expect(dueAtMs(decision({ urgency: { warrantyEndsAtMs: T0 - DAY_MS } }), R)).toBe(T0 + 14 * DAY_MS);
    const detractor = decision({
      reasonCode: 'DETRACTOR',
      family: 'experience',
      urgency: { respondByMs: T0 + 36_000_000 },
    });
    expect(dueAtMs(detractor, R)).toBe(T0 + 36_000_000);
    expect(dueAtMs({ ...detractor, urgency: { respondByMs: T0 - 1 } }, R)).toBe(T0 + 2 * DAY_MS);
  });
});

describe('heldDueAtMs', () => {
  it('keeps the event-time due date of a decision applied when detected', () => {
    expect(heldDueAtMs(decision(), R, T0)).toBe(T0 + 14 * DAY_MS);
    const detractor = decision({
      reasonCode: 'DETRACTOR',
      family: 'experience',
      urgency: { respondByMs: T0 + 36_000_000 },
    });
    expect(heldDueAtMs(detractor, R, T0)).toBe(T0 + 36_000_000);
    // Event time ahead of the clock never brings the due date earlier.
    expect(heldDueAtMs(decision(), R, T0 - DAY_MS)).toBe(T0 + 14 * DAY_MS);
  });

  it('gives a decision from a backlog its full window from arrival', () => {
    const now = T0 + 100 * DAY_MS;
    expect(heldDueAtMs(decision(), R, now)).toBe(now + 14 * DAY_MS);
    const coverage = decision({
      reasonCode: 'WARRANTY_ENDING_UNCOVERED',
      family: 'coverage',
      urgency: { warrantyEndsAtMs: T0 + 10 * DAY_MS },
    });
    expect(heldDueAtMs(coverage, R, now)).toBe(now + 3 * DAY_MS);
  });
});
