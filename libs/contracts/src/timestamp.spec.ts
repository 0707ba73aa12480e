import { isoDateOf, isoInstantOf, parseDateOrRfc3339, parseRfc3339 } from './index';

describe('parseRfc3339', () => {
  it.each<[string, number]>([
    ['2026-03-04T09:12:00+08:00', Date.UTC(2026, 2, 4, 1, 12)],
    ['2026-03-04T09:12:00Z', Date.UTC(2026, 2, 4, 9, 12)],
    ['2026-03-04t09:12:00z', Date.UTC(2026, 2, 4, 9, 12)], // RFC 3339 allows lower case
    ['2026-03-04T09:12:00-05:30', Date.UTC(2026, 2, 4, 14, 42)],
    ['2026-03-04T09:12:00-00:00', Date.UTC(2026, 2, 4, 9, 12)],
    ['2026-03-04T09:12:00.1Z', Date.UTC(2026, 2, 4, 9, 12, 0, 100)],
    ['2026-03-04T09:12:00.123456789Z', Date.UTC(2026, 2, 4, 9, 12, 0, 123)], // truncated to ms
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['2016-12-31T23:59:60Z', Date.UTC(2017, 0, 1)], // leap second rolls over
    ['2026-01-01T00:30:00+01:00', Date.UTC(2025, 11, 31, 23, 30)], // crosses the year
    ['0050-06-01T00:00:00Z', Date.parse('0050-06-01T00:00:00.000Z')], // not shifted to 1950
  ])('%s -> %d', (text, ms) => {
    expect(parseRfc3339(text)).toBe(ms);
  });

  it.each([
    '2026-03-04T09:12:00',
    '2026-03-04T09:12Z',
    '2026-03-04 09:12:00Z',
    '2026-03-04T09:12:00+08',
    '2026-03-04T09:12:00+0800',
    '2026-03-04T09:12:00+24:00',
    '2026-03-04T09:12:00+08:60',
    '2025-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-03-04T09:60:00Z',
    '2026-03-04T09:12:61Z',
    '2026-03-04T09:12:00.Z',
    '+2026-03-04T09:12:00Z',
    ' 2026-03-04T09:12:00Z',
    '2026-03-04',
    '1741079520000',
  ])('rejects %j', (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
  });
});

describe('parseDateOrRfc3339', () => {
  it('takes a calendar date as 00:00Z', () => {
    expect(parseDateOrRfc3339('2026-03-01')).toBe(Date.UTC(2026, 2, 1));
  });

  it('accepts RFC 3339 with offset', () => {
    expect(parseDateOrRfc3339('2026-03-01T08:00:00+08:00')).toBe(Date.UTC(2026, 2, 1));
  });

  it.each(['2026-02-29', '2026-3-1', '20260301', '2026-03-01T08:00:00'])('rejects %j', (text) => {
    expect(parseDateOrRfc3339(text)).toBeUndefined();
  });
});

describe('isoInstantOf / isoDateOf', () => {
  const edges = [
    0,
    -1,
    1,
    999,
    -86_400_000,
    -86_400_001,
    86_399_999,
    Date.UTC(2024, 1, 29, 23, 59, 59, 999),
    Date.UTC(2026, 10, 23, 12, 0, 0, 7),
    253_402_300_799_999,
    253_402_300_800_000,
    -62_167_219_200_000,
    -62_167_219_200_001,
    8.64e15,
    -8.64e15,
    1.9,
    -1.9,
    -0,
  ];

  it('writes exactly what Date#toISOString writes', () => {
    // A deterministic spread over ±300 years, days revisited out of order (the day cache must not leak).
    let x = 12_345;
    const spread = Array.from({ length: 20_000 }, () => {
      x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
      return Math.round((x / 2 ** 31 - 0.5) * 2 * 300 * 365.25 * 86_400_000);
    });
    for (const ms of [...edges, ...spread]) {
      expect(isoInstantOf(ms)).toBe(new Date(ms).toISOString());
      expect(isoDateOf(ms)).toBe(
        new Date(ms).toISOString().slice(0, new Date(ms).toISOString().indexOf('T')),
      );
    }
  });

  it.each([NaN, Infinity, -Infinity, 8.64e15 + 1, -8.64e15 - 1])(
    '%d throws the RangeError Date throws',
    (ms) => {
      expect(() => new Date(ms).toISOString()).toThrow(RangeError);
      expect(() => isoInstantOf(ms)).toThrow(RangeError);
      expect(() => isoDateOf(ms)).toThrow(RangeError);
    },
  );

  it('a value just past the range is refused even when its day was formatted last', () => {
    expect(isoInstantOf(8.64e15)).toBe('+275760-09-13T00:00:00.000Z');
    expect(() => isoInstantOf(8.64e15 + 1)).toThrow(RangeError);
  });
});

describe('the range Postgres and a 4-digit ISO year can hold', () => {
  it.each<[string, number]>([
    ['0001-01-01T00:00:00Z', -62_135_596_800_000],
    ['0001-01-01T01:00:00+01:00', -62_135_596_800_000],
    ['9999-12-31T23:59:59.999Z', 253_402_300_799_999],
    ['9999-12-31T22:59:59.999-01:00', 253_402_300_799_999],
  ])('accepts %s', (text, ms) => {
    expect(parseRfc3339(text)).toBe(ms);
    expect(parseDateOrRfc3339(text)).toBe(ms);
  });

  it.each([
    '0000-06-01T00:00:00Z',
    '0001-01-01T00:30:00+01:00',
    '9999-12-31T23:00:00-23:00',
    '9999-12-31T23:59:59.999-00:01',
  ])('rejects %s', (text) => {
    expect(parseRfc3339(text)).toBeUndefined();
    expect(parseDateOrRfc3339(text)).toBeUndefined();
  });

  it('dates: 0001-01-01 and 9999-12-31 are accepted, 0000-12-31 is not', () => {
    expect(parseDateOrRfc3339('0001-01-01')).toBe(-62_135_596_800_000);
    expect(parseDateOrRfc3339('9999-12-31')).toBe(253_402_214_400_000);
    expect(parseDateOrRfc3339('0000-12-31')).toBeUndefined();
  });
});
