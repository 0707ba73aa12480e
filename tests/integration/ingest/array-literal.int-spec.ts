import { createDataSource } from '@rp/database';
import { arrayLiteral } from '@rp/ingest';
import { testConfig } from '../../support';

/** The multi-row writes' array parameters, read back by Postgres itself. */
describe('array literals (real Postgres)', () => {
  const ds = createDataSource({ ...testConfig().database, poolSize: 1 });
  beforeAll(() => ds.initialize());
  afterAll(() => ds.destroy());
  const roundTrip = async <T>(type: string, values: unknown[]) =>
    (await ds.query<{ v: T }[]>(`SELECT $1::${type}[] AS v`, [arrayLiteral(values)]))[0].v;

  it('gives back every string exactly, quotes, backslashes, braces, commas, blanks, "NULL" and NULL', async () => {
    const values = [
      'plain',
      'say "hi"',
      'C:\\dir\\',
      '',
      ' spaced ',
      'NULL',
      'a,{b}',
      'ünïcødé ✓',
      '\\"',
      null,
    ];
    expect(await roundTrip('text', values)).toEqual(values);
  });

  it('gives back numbers, booleans, instants and JSON documents', async () => {
    expect(await roundTrip('float8', [0.1 + 0.2, -1.25, 1e21, null])).toEqual([0.1 + 0.2, -1.25, 1e21, null]);
    expect(await roundTrip('numeric', [1234.5, 0, null])).toEqual([1234.5, 0, null]);
    expect(await roundTrip('boolean', [true, false, null])).toEqual([true, false, null]);
    expect(await roundTrip('timestamptz', ['2026-03-04T01:02:03.004Z'])).toEqual([
      new Date('2026-03-04T01:02:03.004Z'),
    ]);
    const doc = { code: 'E1', note: 'quote " and \\ backslash', list: [1, null] };
    expect(await roundTrip('jsonb', [JSON.stringify(doc), null])).toEqual([doc, null]);
  });
});
