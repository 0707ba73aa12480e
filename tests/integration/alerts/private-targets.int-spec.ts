import { createServer, type Server } from 'node:http';
import { postWebhook, type Resolve } from '@rp/alerts';

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

  const post = (url: string, refusePrivateTargets: boolean, resolve?: Resolve, timeoutMs = 2_000) =>
    postWebhook({
      url,
      body: '{}',
      headers: { 'content-type': 'application/json' },
      timeoutMs,
      refusePrivateTargets,
      resolve,
    });
  /** A name server under the test's control: answers from `answers` in turn (the last one repeats). */
  const dnsAnswering = (...answers: string[]) => {
    const calls: string[] = [];
    const resolve: Resolve = (host) => {
      calls.push(host);
      const address = answers[Math.min(calls.length, answers.length) - 1];
      return Promise.resolve([{ address, family: address.includes(':') ? 6 : 4 }]);
    };
    return { resolve, calls };
  };

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

  it('refuses a name that resolves to loopback, checking in the connection’s own lookup', async () => {
    const before = hits;
    const dns = dnsAnswering('127.0.0.1');
    const r = await post(`http://hook.test:${port}/hook`, true, dns.resolve);
    expect(r.status).toBeUndefined();
    expect(r.error).toBe('webhook host hook.test resolves to a loopback address (127.0.0.1)');
    expect(dns.calls).toEqual(['hook.test']);
    expect(hits).toBe(before);
  });

  it('connects to exactly the address it resolved and checked (one resolution per delivery)', async () => {
    const before = hits;
    const dns = dnsAnswering('127.0.0.1');
    expect(await post(`http://hook.test:${port}/hook`, false, dns.resolve)).toMatchObject({ status: 204 });
    expect(dns.calls).toEqual(['hook.test']);
    expect(hits).toBe(before + 1);
  });

  it('DNS rebinding: a name answering public, then loopback, never reaches the loopback receiver', async () => {
    const before = hits;
    // A check-then-fetch would resolve twice: public for the check, loopback for the connection.
    const dns = dnsAnswering('9.9.9.9', '127.0.0.1');
    const r = await post(`http://hook.test:${port}/hook`, true, dns.resolve, 300);
    expect(dns.calls).toEqual(['hook.test']);
    expect(r.status).toBeUndefined(); // no route out of the test machine: timed out or unreachable
    expect(r.error).not.toMatch(/resolves to/);
    expect(hits).toBe(before);
  });
});
