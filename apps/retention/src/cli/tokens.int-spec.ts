import { resolvePrincipal } from '@rp/api';
import { loadConfig } from '@rp/config';
import { createDataSource } from '@rp/database';
import { isolatedEnv, runCli, useMigratedSchema } from '../../../../tests/support';

// The built CLI (`npm run build`) against a migrated schema of its own.
describe('tokens create through the built CLI: ids as the event contract has them', () => {
  const stack = Object.fromEntries(
    ['KAFKA_BROKERS', 'DATABASE_URL', 'REDIS_URL'].flatMap((k) =>
      process.env[k] ? [[k, process.env[k]]] : [],
    ),
  );
  const env = { ...stack, ...isolatedEnv() };
  const config = loadConfig(env);
  const ds = createDataSource({ ...config.database, poolSize: 2 });
  useMigratedSchema(ds, config.database.schema);

  it("creates a manager token for branch 'Nord 7' of dealer 'dealer/east', and the API resolves it", async () => {
    const run = await runCli(
      [
        'tokens',
        'create',
        '--dealer',
        'dealer/east',
        '--role',
        'manager',
        '--branch',
        'Nord 7',
        '--name',
        'Anna',
      ],
      env,
    );
    expect(run.code).toBe(0);
    const token = /rpt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/.exec(run.output)?.[0];
    expect(token).toBeDefined();
    expect(await resolvePrincipal(ds, token!)).toEqual({
      tokenId: token!.slice(4, 20),
      dealerId: 'dealer/east',
      role: 'manager',
      branchId: 'Nord 7',
      subject: 'Anna',
    });
  });

  it('names the real problem of an id the contract refuses, and stores nothing', async () => {
    const long = await runCli(
      ['tokens', 'create', '--dealer', 'd1', '--role', 'manager', '--branch', 'b'.repeat(129)],
      env,
    );
    expect(long).toEqual({ code: 1, output: 'error: --branch must be 1-128 characters (got 129)\n' });
    const rows = await ds.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM api_tokens WHERE dealer_id = $1`,
      ['d1'],
    );
    expect(rows[0].n).toBe('0');
  });

  it('creates a token that expires after --expires-in days and is refused from then on; none without it', async () => {
    const run = await runCli(
      ['tokens', 'create', '--dealer', 'd-exp', '--role', 'admin', '--expires-in', '30d'],
      env,
    );
    expect(run.code).toBe(0);
    const token = /rpt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/.exec(run.output)?.[0];
    const tokenId = token!.slice(4, 20);
    const until = /refused from (\S+Z) on/.exec(run.output)?.[1];
    const [row] = await ds.query<{ expires_at: Date; days: number }[]>(
      `SELECT expires_at, extract(epoch FROM expires_at - created_at) / 86400 AS days FROM api_tokens WHERE token_id = $1`,
      [tokenId],
    );
    expect(Number(row.days)).toBeCloseTo(30, 3);
    expect(until).toBe(row.expires_at.toISOString());
    expect(await resolvePrincipal(ds, token!)).toMatchObject({ dealerId: 'd-exp', role: 'admin' });

    await ds.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE token_id = $1`, [
      tokenId,
    ]);
    expect(await resolvePrincipal(ds, token!)).toBeUndefined();
    const list = await runCli(['tokens', 'list'], env);
    expect(list.output).toMatch(new RegExp(`${tokenId}\tadmin\td-exp\t-\t-\t\\S+Z\t\\S+Z\t-\n`));

    const forever = await runCli(['tokens', 'create', '--dealer', 'd-exp', '--role', 'admin'], env);
    expect(forever.output).toContain('(valid until revoked)');
    const id = /rpt_([0-9a-f]{16})_/.exec(forever.output)![1];
    const [plain] = await ds.query<{ expires_at: Date | null }[]>(
      'SELECT expires_at FROM api_tokens WHERE token_id = $1',
      [id],
    );
    expect(plain.expires_at).toBeNull();
  });

  it('refuses an expiry it cannot use, naming the flag, and stores nothing', async () => {
    const run = await runCli(
      ['tokens', 'create', '--dealer', 'd-bad', '--role', 'admin', '--expires-in', '0'],
      env,
    );
    expect(run).toEqual({
      code: 1,
      output: 'error: --expires-in must be a whole number of days from 1 to 3650, such as 90 or 90d\n',
    });
    const rows = await ds.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM api_tokens WHERE dealer_id = 'd-bad'`,
    );
    expect(rows[0].n).toBe('0');
  });
});
