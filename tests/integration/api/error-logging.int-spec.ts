import { readFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { DataSource } from 'typeorm';
import { createLogger } from '@rp/observability';
import { testConfig } from '../../support';
import { openDb } from '../../e2e/api/api-fixtures';

/** A real TypeORM QueryFailedError from Postgres, logged the way the API filter and the CLI log errors. */
describe('a failed statement in the log', () => {
  const config = testConfig();
  let ds: DataSource;
  beforeAll(async () => {
    ds = await openDb(config);
    await ds.query(`CREATE SCHEMA IF NOT EXISTS "${config.database.schema}"`);
    await ds.query(`CREATE TABLE "${config.database.schema}".notes (id int PRIMARY KEY, note text NOT NULL)`);
    await ds.query(`INSERT INTO "${config.database.schema}".notes VALUES (1, 'first')`);
  });
  afterAll(async () => {
    await ds.query(`DROP SCHEMA IF EXISTS "${config.database.schema}" CASCADE`);
    await ds.destroy();
  });

  it('shows the statement and the Postgres error, never the values bound to it', async () => {
    const failures = [
      // Missing table (a CLI run before `migrate`): the secret is a bound parameter.
      ds.query(`INSERT INTO no_such_table (dealer_id, secret) VALUES ($1, $2)`, [
        'd1',
        'SuperSecretHmacKey-123456',
      ]),
      // Duplicate key: Postgres' detail repeats the row ("Key (id)=(1) …"), here with a manager's note.
      ds.query(`INSERT INTO "${config.database.schema}".notes VALUES ($1, $2), ($1, $2)`, [
        2,
        'Private note',
      ]),
      // NOT NULL: the detail is "Failing row contains (3, null)" — the row's values.
      ds.query(`INSERT INTO "${config.database.schema}".notes (id, note) VALUES (3, NULL)`),
    ];
    const errors = await Promise.all(
      failures.map((p) =>
        p.then(
          () => undefined,
          (e: unknown) => e,
        ),
      ),
    );
    const file = `${tmpdir()}/rp-error-logging-${process.pid}.log`;
    const logger = createLogger('info', {}, file);
    for (const err of errors) logger.error({ err, errorId: 'e-1' }, 'API request failed');
    const out = readFileSync(file, 'utf8');
    unlinkSync(file);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { err: Record<string, unknown> });
    expect(lines.map((l) => [l.err.type, l.err.code])).toEqual([
      ['QueryFailedError', '42P01'],
      ['QueryFailedError', '23505'],
      ['QueryFailedError', '23502'],
    ]);
    expect(lines[0].err.query).toBe('INSERT INTO no_such_table (dealer_id, secret) VALUES ($1, $2)');
    expect([lines[0].err.parameters, lines[1].err.parameters]).toEqual(['[redacted]', '[redacted]']);
    expect([lines[1].err.detail, lines[2].err.detail]).toEqual(['[redacted]', '[redacted]']);
    expect(out).not.toContain('SuperSecretHmacKey');
    expect(out).not.toContain('Private note');
    expect(out).not.toContain('Failing row contains');
  });
});
