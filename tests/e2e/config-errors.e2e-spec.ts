import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliFromSource, isolatedEnv } from '../support';

const cli = cliFromSource;

/** Bad configuration found before or at start-up: one line naming the variable (or flag), exit code 2. */
describe('configuration errors name the variable', () => {
  it('a missing KAFKA_SSL_CA_FILE stops `topics` before it connects', async () => {
    const r = await cli(['topics'], {
      ...isolatedEnv(),
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem',
    });
    expect({ code: r.code, err: r.err }).toEqual({
      code: 2,
      err: 'Invalid configuration:\n  - KAFKA_SSL_CA_FILE: cannot read /nonexistent/ca.pem (ENOENT)\n',
    });
  });

  it('`backtest --replay` names --replay, not --name', async () => {
    const r = await cli(['backtest', '--replay', "x'; select 1"], isolatedEnv());
    expect({ code: r.code, err: r.err }).toEqual({
      code: 2,
      err: `error: option '--replay <name>' argument 'x'; select 1' is invalid. --replay "x'; select 1": use 1–40 lower-case letters, digits or _ starting with a letter\n`,
    });
  });

  it('NODE_ENV=staging does not stop a command', async () => {
    const r = await cli(['backtest', '--replay', 'nope'], { ...isolatedEnv(), NODE_ENV: 'staging' });
    expect({ code: r.code, err: r.err }).toEqual({
      code: 2,
      err: 'backtest: --replay nope: no such replay (schema replay_nope has no projections; run `replay --name nope` first)\n',
    });
  });

  it('a role that fails to start is not reported as a listen error', async () => {
    const r = await cli(['serve'], {
      ...isolatedEnv(),
      ROLES: 'ingest',
      MIGRATE_ON_BOOT: 'false',
      TOPIC_SERVICE: 'no.such.topic',
    });
    expect(r.code).toBe(1);
    expect(r.out).toContain('no.such.topic');
    expect(r.err).not.toContain('HTTP_HOST');
  });

  it('an api-only process with an invalid rule set stops at start-up, naming the fields', async () => {
    const file = join(tmpdir(), `bad-rule-set-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify({ id: 'x', version: '1', thresholds: {}, value: { discountRate: 0 } }),
    );
    const r = await cli(['serve'], {
      ...isolatedEnv(),
      ROLES: 'api',
      MIGRATE_ON_BOOT: 'false',
      RISK_RULESET_FILE: file,
    });
    expect(r.code).toBe(1);
    expect(`${r.out}${r.err}`).toContain('value.discountRate');
    expect(`${r.out}${r.err}`).toContain('thresholds.service');
  });

  describe('serve: the HTTP server cannot listen', () => {
    let taken: Server;
    let port: number;
    beforeAll(async () => {
      taken = createServer();
      await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
      port = (taken.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((r) => taken.close(() => r())));

    // The api role only: no consumer group; no migration, so no schema is left behind.
    const apiOnly = () => ({ ...isolatedEnv(), ROLES: 'api', MIGRATE_ON_BOOT: 'false' });

    it('a port in use', async () => {
      const r = await cli(['serve'], { ...apiOnly(), HTTP_HOST: '127.0.0.1', HTTP_PORT: String(port) });
      expect({ code: r.code, err: r.err }).toEqual({
        code: 2,
        err: `serve: HTTP_HOST/HTTP_PORT: cannot listen on 127.0.0.1:${port} (EADDRINUSE: the port is in use)\n`,
      });
    });

    it('a host name that does not resolve', async () => {
      const r = await cli(['serve'], { ...apiOnly(), HTTP_HOST: 'not-a-host.invalid', HTTP_PORT: '3999' });
      expect(r.code).toBe(2);
      expect(r.err).toMatch(
        /^serve: HTTP_HOST\/HTTP_PORT: cannot listen on not-a-host\.invalid:3999 \((ENOTFOUND|EAI_AGAIN): the host name does not resolve\)\n$/,
      );
    });
  });
});
