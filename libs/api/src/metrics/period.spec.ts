import { ApiError } from '../http/api-error';
import { monthsBefore, resolvePeriod, RetentionMetricsQuery } from './period';

describe('resolvePeriod', () => {
  it('defaults to the last 12 months ending today, today included', () => {
    expect(resolvePeriod({}, '2026-11-23')).toEqual({
      from: '2025-11-24',
      to: '2026-11-23',
      fromMs: Date.parse('2025-11-24T00:00:00Z'),
      toMs: Date.parse('2026-11-24T00:00:00Z'),
    });
    expect(resolvePeriod({ to: '2025-03-31' }, '2026-11-23')).toMatchObject({
      from: '2024-04-01',
      to: '2025-03-31',
    });
  });

  it('takes both ends as given, the last day included', () => {
    expect(resolvePeriod({ from: '2025-01-01', to: '2025-06-30' }, '2026-11-23')).toMatchObject({
      fromMs: Date.parse('2025-01-01T00:00:00Z'),
      toMs: Date.parse('2025-07-01T00:00:00Z'),
    });
  });

  it('refuses from after to, and a period over ten years, naming the field', () => {
    expect(() => resolvePeriod({ from: '2025-02-01', to: '2025-01-31' }, '2026-01-01')).toThrow(
      new ApiError('VALIDATION_FAILED', 'query.from: 2025-02-01 is after query.to 2025-01-31'),
    );
    expect(() => resolvePeriod({ from: '2000-01-01', to: '2025-01-31' }, '2026-01-01')).toThrow(
      /query\.from: the period may span at most 3660 days/,
    );
  });

  it('clamps month ends', () => {
    expect(monthsBefore('2025-03-31', 1)).toBe('2025-02-28');
    expect(monthsBefore('2024-02-29', 12)).toBe('2023-02-28');
  });
});

describe('RetentionMetricsQuery', () => {
  it('accepts calendar dates only, and no unknown parameter', () => {
    expect(RetentionMetricsQuery.safeParse({ from: '2025-01-01', to: '2025-12-31' }).success).toBe(true);
    for (const bad of [
      { from: '2025-1-1' },
      { to: '2025-02-30' },
      { from: 'yesterday' },
      { since: '2025-01-01' },
    ]) {
      expect(RetentionMetricsQuery.safeParse(bad).success).toBe(false);
    }
  });
});
