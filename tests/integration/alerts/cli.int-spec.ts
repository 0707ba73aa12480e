import { createDataSource, runMigrations } from '@rp/database';
import type { DataSource } from 'typeorm';
import { runCli, testConfig } from '../../support';

// Runs the built CLI (`npx nest build` first), like the iso-import CLI tests.
describe('webhooks add (built CLI + Postgres)', () => {
  const config = testConfig();
  let ds: DataSource;
  const env = {
    DATABASE_URL: config.database.url,
    DATABASE_SCHEMA: config.database.schema,
    LOG_LEVEL: 'info',
  };
  beforeAll(async () => {
    ds = createDataSource(config.database);
    await ds.initialize();
    await runMigrations(ds);
  });
  afterAll(async () => {
    await ds.query(`DROP SCHEMA IF EXISTS ${config.database.schema} CASCADE`);
    await ds.destroy();
  });

  it('stores a subscription with its filters and never prints the secret', async () => {
    const secret = 'cli-secret-do-not-print-42';
    const run = await runCli(
      [
        'webhooks',
        'add',
        '--dealer',
        'd-cli',
        '--url',
        'https://hooks.example.com/churn',
        '--secret',
        secret,
        '--reasons',
        'DETRACTOR,MAINTENANCE_OVERDUE',
        '--min-priority',
        '25',
      ],
      env,
    );
    expect(run.code).toBe(0);
    const id = /^(sub_[0-9a-f]{16})$/m.exec(run.output)?.[1];
    expect(id).toBeDefined();
    expect(run.output).not.toContain(secret);
    const rows = await ds.query<Record<string, unknown>[]>(
      'SELECT dealer_id, subscription_id, url, secret, reason_codes, min_priority, active FROM alert_subscriptions',
    );
    expect(rows).toEqual([
      {
        dealer_id: 'd-cli',
        subscription_id: id,
        url: 'https://hooks.example.com/churn',
        secret,
        reason_codes: ['DETRACTOR', 'MAINTENANCE_OVERDUE'],
        min_priority: '25',
        active: true,
      },
    ]);
  });

  it('refuses a bad option naming it, and stores nothing', async () => {
    const run = await runCli(
      ['webhooks', 'add', '--dealer', 'd-cli', '--url', 'ftp://x.example.com', '--secret', 'x'.repeat(20)],
      env,
    );
    expect(run.code).toBe(1);
    expect(run.output).toContain('--url: must be http or https');
    expect(await ds.query('SELECT 1 FROM alert_subscriptions WHERE url LIKE $1', ['ftp%'])).toEqual([]);
  });
});
