import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { Client } from 'pg';
import { LAUNCHER, isolatedEnv, startApp, waitFor } from '../support';

const PG_URL = process.env.DATABASE_URL ?? 'postgres://retention:retention@127.0.0.1:55432/retention';

/**
 * A TCP proxy in front of Postgres: `forward` passes bytes, `hold` leaves new connections unread until
 * release(), `stall` accepts and answers nothing (a Postgres that hangs).
 */
class PgProxy {
  state: 'forward' | 'hold' | 'stall' = 'forward';
  accepted = 0;
  private readonly held: Socket[] = [];
  private readonly sockets = new Set<Socket>();
  private server?: Server;

  async start(): Promise<string> {
    const target = new URL(PG_URL);
    this.server = createServer((client) => {
      this.accepted++;
      const up = connect(Number(target.port), target.hostname);
      if (this.state === 'hold') {
        client.pause();
        this.held.push(client);
      }
      client.on('data', (d) => this.state !== 'stall' && up.write(d));
      up.on('data', (d) => this.state !== 'stall' && client.write(d));
      for (const [a, b] of [
        [client, up],
        [up, client],
      ]) {
        this.sockets.add(a);
        a.on('error', () => b.destroy());
        a.on('close', () => b.destroy());
      }
    });
    const port = await new Promise<number>((r) =>
      this.server!.listen(0, '127.0.0.1', () => r((this.server!.address() as { port: number }).port)),
    );
    const url = new URL(PG_URL);
    url.host = `127.0.0.1:${port}`;
    return url.toString();
  }

  release(): void {
    this.state = 'forward';
    for (const s of this.held.splice(0)) s.resume();
  }

  close(): void {
    for (const s of this.sockets) s.destroy();
    this.server?.close();
  }
}

/** The exit code (null when killed by a signal) and how long after `since` it came, or 'running' after `ms`. */
function exitWithin(
  child: ChildProcess,
  ms: number,
  since = Date.now(),
): Promise<{ code: number | null; signal: string | null; afterMs: number } | 'running'> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode, afterMs: 0 });
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('running'), ms);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, afterMs: Date.now() - since });
    });
  });
}

const logLines = (output: string): { level: string; msg: string; [k: string]: unknown }[] =>
  output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: string; msg: string });

describe('shutdown of `serve` on SIGTERM', () => {
  const proxies: PgProxy[] = [];
  const children: ChildProcess[] = [];
  const schemas: string[] = [];
  const env = (extra: Record<string, string>): Record<string, string> => {
    const e = isolatedEnv({ ROLES: 'api', LOG_LEVEL: 'info', ...extra });
    schemas.push(e.DATABASE_SCHEMA);
    return e;
  };
  const proxied = async (): Promise<{ proxy: PgProxy; url: string }> => {
    const proxy = new PgProxy();
    proxies.push(proxy);
    return { proxy, url: await proxy.start() };
  };

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    for (const p of proxies) p.close();
    const db = new Client({ connectionString: PG_URL });
    await db.connect();
    for (const s of schemas) await db.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await db.end();
  });

  it('exits 0 promptly when nothing hangs', async () => {
    const app = await startApp(env({}));
    children.push(app.child);
    const sent = Date.now();
    app.child.kill('SIGTERM');
    const res = await exitWithin(app.child, 10_000, sent);
    expect(res).toMatchObject({ code: 0 });
    expect(res !== 'running' && res.afterMs).toBeLessThan(5_000);
  });

  it('answers /health 503 "shutting down" during the drain, and exits 124 at SHUTDOWN_TIMEOUT_MS when Postgres hangs', async () => {
    const { proxy, url } = await proxied();
    const app = await startApp(env({ DATABASE_URL: url, SHUTDOWN_TIMEOUT_MS: '3000' }));
    children.push(app.child);
    proxy.state = 'stall';
    expect((await fetch(`${app.baseUrl}/health`)).status).toBe(503); // postgres timed out: a query is stuck

    const sent = Date.now();
    app.child.kill('SIGTERM');
    await waitFor('the drain to start', () => app.output().includes('"shutting down"'), 2_000);
    const asked = Date.now();
    const health = await fetch(`${app.baseUrl}/health`);
    expect(Date.now() - asked).toBeLessThan(1_000); // not the 2.5 s Postgres check: the drain answers at once
    expect(health.status).toBe(503);
    expect(((await health.json()) as { details: object }).details).toEqual({
      process: { status: 'down', message: 'shutting down' },
    });

    const res = await exitWithin(app.child, 10_000, sent);
    expect(res).toMatchObject({ code: 124 });
    const afterMs = res === 'running' ? Infinity : res.afterMs;
    expect(afterMs).toBeGreaterThanOrEqual(3_000);
    expect(afterMs).toBeLessThan(5_000);
    const timedOut = logLines(app.output()).find((l) => l.msg.includes('SHUTDOWN_TIMEOUT_MS'));
    expect(timedOut).toMatchObject({ level: 'error', timeoutMs: 3000 });
    expect((timedOut!.pending as string[]).length).toBeGreaterThan(0);
  });

  it('exits at once with 143 on a second SIGTERM while the drain hangs', async () => {
    const { proxy, url } = await proxied();
    const app = await startApp(env({ DATABASE_URL: url, SHUTDOWN_TIMEOUT_MS: '30000' }));
    children.push(app.child);
    proxy.state = 'stall';
    expect((await fetch(`${app.baseUrl}/health`)).status).toBe(503);
    app.child.kill('SIGTERM');
    await waitFor('the drain to start', () => app.output().includes('"shutting down"'), 5_000);
    expect(await exitWithin(app.child, 1_000)).toBe('running');
    const second = Date.now();
    app.child.kill('SIGTERM');
    const res = await exitWithin(app.child, 5_000, second);
    expect(res).toMatchObject({ code: 143 });
    expect(res !== 'running' && res.afterMs).toBeLessThan(1_000);
  });

  it('handles a SIGTERM during boot: it finishes starting, then closes gracefully and exits 0', async () => {
    const { proxy, url } = await proxied();
    proxy.state = 'hold'; // boot waits on its first database connection
    const child = spawn(LAUNCHER, ['serve'], {
      env: {
        ...process.env,
        ...env({
          DATABASE_URL: url,
          HTTP_PORT: String(20000 + Math.floor(Math.random() * 12000)),
          SHUTDOWN_TIMEOUT_MS: '20000',
        }),
      },
    });
    children.push(child);
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    await waitFor('boot to connect to Postgres', () => proxy.accepted > 0, 30_000);
    child.kill('SIGTERM');
    await waitFor('the signal to be handled', () => output.includes('"shutting down"'), 5_000);
    proxy.release();
    const res = await exitWithin(child, 20_000);
    expect(res).toMatchObject({ code: 0 });
    expect(output).not.toContain('retention pipeline up');
  });
});
