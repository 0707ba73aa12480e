import { pollFleet, type FetchLike, type FleetPage, type ResponseLike } from './index';

type Reply = { status: number; body?: string; headers?: Record<string, string> };

function fakeFetch(routes: Record<string, Reply>) {
  const calls: { url: string; authorization?: string; redirect: string }[] = [];
  const fetch: FetchLike = (url, init) => {
    calls.push({ url, authorization: init.headers.authorization, redirect: init.redirect });
    const r = routes[url] ?? { status: 404 };
    const headers = r.headers ?? {};
    const response: ResponseLike = {
      status: r.status,
      headers: { get: (n) => headers[n.toLowerCase()] ?? null },
      text: () => Promise.resolve(r.body ?? ''),
    };
    return Promise.resolve(response);
  };
  return { fetch, calls };
}

const page = (serial: string, next?: string): Reply => ({
  status: 200,
  headers: { 'content-type': 'application/xml' },
  body:
    `<Fleet>${next ? `<Links><rel>next</rel><href>${next}</href></Links>` : ''}<Equipment><EquipmentHeader>` +
    `<SerialNumber>${serial}</SerialNumber></EquipmentHeader></Equipment></Fleet>`,
});
const redirect = (location: string, status = 302): Reply => ({ status, headers: { location } });
const A = 'https://oem.example';
const auth = { kind: 'bearer' as const, token: 'secret-token' };

function poll(routes: Record<string, Reply>) {
  const { fetch, calls } = fakeFetch(routes);
  const pages: FleetPage[] = [];
  const run = pollFleet({ url: `${A}/Fleet/1`, auth, fetch }, (p) => (pages.push(p), Promise.resolve()));
  return { run, calls, pages };
}

describe('pollFleet: redirects', () => {
  it('refuses a redirect to another origin: no request there, no credentials, the poll fails naming it', async () => {
    const { run, calls, pages } = poll({
      [`${A}/Fleet/1`]: page('A1', '/Fleet/2'),
      [`${A}/Fleet/2`]: redirect('http://other.example/steal?token=abc'),
    });
    await expect(run).rejects.toThrow(
      'page 2 (https://oem.example/Fleet/2) redirects to http://other.example/steal?token=redacted, ' +
        'outside https://oem.example; not following it (the credentials and the feed are for that origin only)',
    );
    expect(pages.map((p) => p.number)).toEqual([1]);
    expect(calls.map((c) => c.url)).toEqual([`${A}/Fleet/1`, `${A}/Fleet/2`]);
    expect(calls.every((c) => c.redirect === 'manual')).toBe(true);
  });

  it('follows a same-origin redirect and resolves the next link against where the page was read', async () => {
    const { run, calls, pages } = poll({
      [`${A}/Fleet/1`]: redirect('/v2/Fleet/1', 301),
      [`${A}/v2/Fleet/1`]: page('A1', '2'), // relative to /v2/Fleet/1: /v2/Fleet/2
      [`${A}/v2/Fleet/2`]: page('A2'),
    });
    await expect(run).resolves.toEqual({ pages: 2, stoppedBy: 'no-next-link' });
    expect(pages.map((p) => [p.number, p.url])).toEqual([
      [1, `${A}/v2/Fleet/1`],
      [2, `${A}/v2/Fleet/2`],
    ]);
    expect(calls).toEqual(
      [`${A}/Fleet/1`, `${A}/v2/Fleet/1`, `${A}/v2/Fleet/2`].map((url) => ({
        url,
        authorization: 'Bearer secret-token',
        redirect: 'manual',
      })),
    );
  });

  it('gives up after 5 redirects and on a redirect without Location', async () => {
    const loop = poll({
      [`${A}/Fleet/1`]: redirect('/Fleet/1'),
    });
    await expect(loop.run).rejects.toThrow('page 1 (https://oem.example/Fleet/1): more than 5 redirects');
    expect(loop.calls).toHaveLength(6);
    const none = poll({ [`${A}/Fleet/1`]: { status: 307 } });
    await expect(none.run).rejects.toThrow(
      'page 1 (https://oem.example/Fleet/1): HTTP 307 without a usable Location',
    );
  });
});
