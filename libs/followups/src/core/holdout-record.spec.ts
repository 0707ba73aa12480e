import { releasedDueAtMs } from './due-date';
import { drawHoldout, heldOutNow, holdoutBucket } from './holdout';
import { DEFAULT_FOLLOWUP_RULES as R } from './settings';
import { T0 } from './spec-helpers';
import { DAY_MS } from './task';

describe('holdout per customer', () => {
  const b = holdoutBucket('dealer-1', 'c1');
  const covering = (b + 1) / 10_000;
  const notCovering = b / 10_000;

  it('draws a customer seen for the first time into the holdout only if it was never contacted', () => {
    expect(drawHoldout('dealer-1', 'c1', covering, false)).toBe(true);
    expect(drawHoldout('dealer-1', 'c1', covering, true)).toBe(false);
    expect(drawHoldout('dealer-1', 'c1', notCovering, false)).toBe(false);
    expect(drawHoldout('dealer-1', 'c1', 0, false)).toBe(false);
  });

  it('keeps a recorded holdout only while the current share covers it; never enrols a recorded customer later', () => {
    expect(heldOutNow(true, 'dealer-1', 'c1', covering)).toBe(true);
    expect(heldOutNow(true, 'dealer-1', 'c1', notCovering)).toBe(false);
    expect(heldOutNow(true, 'dealer-1', 'c1', 0)).toBe(false);
    expect(heldOutNow(false, 'dealer-1', 'c1', 1)).toBe(false);
  });

  it('gives a released holdout record its family window from the release, or its own later due date', () => {
    expect(releasedDueAtMs(T0, 'lapse', R, T0 + 100 * DAY_MS)).toBe(T0 + 114 * DAY_MS);
    expect(releasedDueAtMs(T0 + 30 * DAY_MS, 'experience', R, T0)).toBe(T0 + 30 * DAY_MS);
    expect(() => releasedDueAtMs(T0, 'nope', R, T0)).toThrow('releasedDueAtMs: unknown reason family "nope"');
  });
});
