import { createServer, type Server } from 'node:http';
import { postWebhook } from '@rp/alerts';

/** Deliveries refuse hosts that are or resolve to non-public addresses, before any connection. */
describe('webhook delivery to non-public targets', () => {
  let server: Server;
  let port = 0;
  let hits = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      req.resume();
      res.writeHead(204).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const post = (url: string, refusePrivateTargets: boolean) =>
    postWebhook({
      url,
      body: '{}',
      headers: { 'content-type': 'application/json' },
      timeoutMs: 2_000,
      refusePrivateTargets,
    });

  it('refuses localhost and IPv4-mapped loopback without connecting', async () => {
    const byName = await post(`http://localhost:${port}/hook`, true);
    expect(byName.status).toBeUndefined();
    expect(byName.error).toBe('webhook host localhost is a loopback address');
    const mapped = await post(`http://[::ffff:127.0.0.1]:${port}/hook`, true);
    expect(mapped.status).toBeUndefined();
    expect(mapped.error).toMatch(/loopback address/);
    expect(hits).toBe(0);
  });

  it('delivers when private targets are allowed (the tests’ receivers)', async () => {
    expect(await post(`http://localhost:${port}/hook`, false)).toMatchObject({ status: 204 });
    expect(hits).toBe(1);
  });

  it('leaves an unresolvable host to fail with the resolver’s code', async () => {
    const r = await post('http://no-such-host.invalid/hook', true);
    expect(r.status).toBeUndefined();
    expect(r.error).toMatch(/ENOTFOUND|EAI_AGAIN/);
  });
});
