import { parsePosition } from './position';

describe('parsePosition', () => {
  it('reads dates, timestamps, offsets and the two ends', () => {
    expect(parsePosition('--from', 'beginning')).toEqual({ kind: 'beginning' });
    expect(parsePosition('--to', 'end')).toEqual({ kind: 'end' });
    expect(parsePosition('--from', '2024-02-29')).toEqual({ kind: 'timestamp', ms: Date.UTC(2024, 1, 29) });
    expect(parsePosition('--from', '2025-03-01T10:15:30+02:00')).toEqual({
      kind: 'timestamp',
      ms: Date.UTC(2025, 2, 1, 8, 15, 30),
    });
    expect(parsePosition('--to', 't:1=5,t:0=7')).toEqual({
      kind: 'offsets',
      offsets: { 't:1': '5', 't:0': '7' },
    });
  });

  it.each([
    '2025-02-30',
    '2025-02-29',
    '2023-04-31',
    '2025-13-01',
    '2025-00-10',
    '2025-01-00',
    '2025-01-01T24:00:00Z',
    '2025-01-01T10:60:00Z',
    '2025-01-01T10:00:61Z',
    '2025-01-01T10:00:00+24:00',
  ])('refuses the impossible date-time %s instead of rolling it over', (v) => {
    expect(() => parsePosition('--from', v)).toThrow(`--from: "${v}" is not a valid date-time`);
  });
});
