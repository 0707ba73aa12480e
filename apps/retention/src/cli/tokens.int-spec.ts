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
});
