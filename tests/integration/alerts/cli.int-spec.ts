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

  const add = (url: string, extra: Record<string, string> = {}) =>
    runCli(['webhooks', 'add', '--dealer', 'd-url', '--url', url, '--secret', 'y'.repeat(20)], {
      ...env,
      ...extra,
    });
  const stored = async (): Promise<string[]> =>
    (
      await ds.query<{ url: string }[]>(
        `SELECT url FROM alert_subscriptions WHERE dealer_id = 'd-url' ORDER BY url`,
      )
    ).map((r) => r.url);

  it('refuses http, private targets and hosts off the allow-list by default, naming the problem', async () => {
    const http = await add('http://hooks.example.com/churn');
    expect(http.code).toBe(1);
    expect(http.output).toContain(
      'error: --url: must use https (http is accepted only with ALERT_ALLOW_HTTP=true)',
    );
    const metadata = await add('https://169.254.169.254/latest/meta-data');
    expect(metadata.code).toBe(1);
    expect(metadata.output).toContain(
      'error: --url: host 169.254.169.254 is a link-local address, not a public target (accepted only with ALERT_ALLOW_PRIVATE_TARGETS=true)',
    );
    const loopback = await add('http://127.0.0.1:8080/hook', { ALERT_ALLOW_HTTP: 'true' });
    expect(loopback.code).toBe(1);
    expect(loopback.output).toContain('host 127.0.0.1 is a loopback address');
    const offList = await add('https://hooks.example.com/churn', {
      ALERT_WEBHOOK_ALLOWED_HOSTS: '*.dealer.example',
    });
    expect(offList.code).toBe(1);
    expect(offList.output).toContain(
      'error: --url: host hooks.example.com is not in ALERT_WEBHOOK_ALLOWED_HOSTS (*.dealer.example)',
    );
    expect(await stored()).toEqual([]);
  });

  it('accepts a listed host, and a loopback http receiver when the flags allow it', async () => {
    const listed = await add('https://crm.dealer.example/churn', {
      ALERT_WEBHOOK_ALLOWED_HOSTS: '*.dealer.example,hooks.example.com',
    });
    expect(listed.code).toBe(0);
    const local = await add('http://127.0.0.1:8080/hook', {
      ALERT_ALLOW_HTTP: 'true',
      ALERT_ALLOW_PRIVATE_TARGETS: 'true',
    });
    expect(local.code).toBe(0);
    expect(await stored()).toEqual(['http://127.0.0.1:8080/hook', 'https://crm.dealer.example/churn']);
  });

  it('stops at boot, naming the variable, when the allow-list is malformed', async () => {
    const before = await stored();
    const run = await add('https://hooks.example.com/churn', {
      ALERT_WEBHOOK_ALLOWED_HOSTS: 'https://hooks.example.com',
    });
    expect(run.code).toBe(2);
    expect(run.output).toContain('ALERT_WEBHOOK_ALLOWED_HOSTS');
    expect(await stored()).toEqual(before);
  });
});
