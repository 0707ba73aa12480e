import { compareCodePoints } from './ingest-event';

/** UTF-8 byte order: what Postgres' COLLATE "C" compares. */
const bytewise = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));

describe('compareCodePoints (the batch fold orders ties as the database does)', () => {
  it('puts a character above U+FFFF after U+E000–U+FFFF, as UTF-8 bytes do (JS < does not)', () => {
    const astral = 'e\u{1F600}';
    const bmpHigh = 'e\uFFFD';
    expect(astral < bmpHigh).toBe(true); // UTF-16 code units
    expect(Math.sign(compareCodePoints(astral, bmpHigh))).toBe(1);
    expect(bytewise(astral, bmpHigh)).toBe(1);
  });

  it('agrees with UTF-8 byte order on every pair of a mixed alphabet, prefixes included', () => {
    const alphabet = [
      'a',
      'B',
      '-',
      '\u00e9',
      '\u4e2d',
      '\ud7ff',
      '\ue000',
      '\uffff',
      '\u{10000}',
      '\u{1F600}',
    ];
    const words = [''];
    for (const x of alphabet) for (const y of ['', ...alphabet]) words.push(x + y);
    for (const a of words)
      for (const b of words)
        expect([a, b, Math.sign(compareCodePoints(a, b))]).toEqual([a, b, bytewise(a, b)]);
  });
});
