import { DEFAULT_MAX_QUIET_ADVANCE_MS, quietInstant } from './wall-clock';

describe('quietInstant: the wall clock, while the stream is live', () => {
  const DAY = 86_400_000;
  const HOUR = 3_600_000;
  const NOW = Date.parse('2026-11-24T12:00:00Z');

  it('is 7 days by default', () => {
    expect(DEFAULT_MAX_QUIET_ADVANCE_MS).toBe(7 * DAY);
  });

  it('follows the wall clock minus the lateness when the newest event is recent', () => {
    expect(quietInstant(NOW, HOUR, NOW - 10 * 60_000, 7 * DAY)).toBe(NOW - HOUR);
    expect(quietInstant(NOW, HOUR, NOW - 6 * DAY, 7 * DAY)).toBe(NOW - HOUR);
  });

  it('stops maxAdvanceMs past the newest event when the stream is far behind the wall clock (a paused backfill)', () => {
    const newest = Date.parse('2024-03-31T00:00:00Z');
    expect(quietInstant(NOW, HOUR, newest, 7 * DAY)).toBe(Date.parse('2024-04-07T00:00:00Z'));
    expect(quietInstant(NOW, HOUR, NOW - 8 * DAY, 7 * DAY)).toBe(NOW - DAY);
  });

  it('is null before any event was read (-infinity)', () => {
    expect(quietInstant(NOW, HOUR, -Infinity, 7 * DAY)).toBeNull();
    expect(quietInstant(NOW, HOUR, NaN, 7 * DAY)).toBeNull();
  });
});
