import { inCooldown } from './cooldown';
import { T0 } from './spec-helpers';
import { DAY_MS } from './task';

describe('inCooldown', () => {
  const closed = (closedAtMs: number) => ({ outcome: 'service-booked', closedAtMs });

  it('suppresses within the cool-down before detection, boundary included', () => {
    expect(inCooldown(closed(T0 - 29 * DAY_MS), T0, 30)).toBe(true);
    expect(inCooldown(closed(T0 - 30 * DAY_MS), T0, 30)).toBe(true);
    expect(inCooldown(closed(T0 - 30 * DAY_MS - 1), T0, 30)).toBe(false);
  });

  it('suppresses an outcome recorded after the detection, and nothing without an outcome', () => {
    expect(inCooldown(closed(T0 + DAY_MS), T0, 30)).toBe(true);
    expect(inCooldown(null, T0, 30)).toBe(false);
    expect(inCooldown(closed(T0 - DAY_MS), T0, 0)).toBe(false);
  });
});
