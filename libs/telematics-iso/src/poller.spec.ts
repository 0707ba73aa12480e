import {
  displayUrl,
  IsoFetchError,
  pollFleet,
  retryAfterMs,
  runOnSchedule,
  type FetchLike,
  type FleetPage,
  type PollerOptions,
  type ResponseLike,
} from './index';

type Reply = { status: number; body?: string; headers?: Record<string, string> } | Error;

/** A fake endpoint: each URL answers its replies in order (the last one repeats); every call is recorded. */
function fakeFetch(routes: Record<string, Reply[]>) {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const seen: Record<string, number> = {};
  const fetch: FetchLike = (url, init) => {
    calls.push({ url, headers: init.headers });
    const replies = routes[url];
    if (!replies) return Promise.resolve(response({ status: 404, body: 'no such page' }));
    const n = (seen[url] = (seen[url] ?? 0) + 1);
    const reply = replies[Math.min(n, replies.length) - 1];
    return reply instanceof Error ? Promise.reject(reply) : Promise.resolve(response(reply));
  };
  return { fetch, calls };
}

function response(r: { status: number; body?: string; headers?: Record<string, string> }): ResponseLike {
  const headers = Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    status: r.status,
    headers: { get: (name) => headers[name.toLowerCase()] ?? null },
    text: () => Promise.resolve(r.body ?? ''),
  };
}

/** A Sleep that records the delays and returns at once. */
function fakeSleep() {
  const delays: number[] = [];
  return { sleep: (ms: number) => (delays.push(ms), Promise.resolve()), delays };
}

const BASE = 'https://oem.example/Fleet';
const NOW = Date.parse('2026-04-10T12:00:00Z');

/** An XML page with one machine; `next` is the href of its next link, if any. */
function page(serial: string, next?: string): Reply {
  const link = next === undefined ? '' : `<Links><rel>next</rel><href>${next}</href></Links>`;
  return {
    status: 200,
    headers: { 'content-type': 'application/xml; charset=utf-8' },
    body:
      `<Fleet version="1">${link}<Links><rel>self</rel><href>ignored</href></Links><Equipment>` +
      `<EquipmentHeader><SerialNumber>${serial}</SerialNumber></EquipmentHeader>` +
      `<CumulativeOperatingHours datetime="2026-04-10T08:00:00Z"><Hour>10</Hour></CumulativeOperatingHours>` +
      `</Equipment></Fleet>`,
  };
}

async function poll(routes: Record<string, Reply[]>, opts: Partial<PollerOptions> = {}) {
  const { fetch, calls } = fakeFetch(routes);
  const { sleep, delays } = fakeSleep();
  const pages: FleetPage[] = [];
  const retries: unknown[] = [];
  const result = await pollFleet(
    { url: `${BASE}/1`, fetch, sleep, now: () => NOW, onRetry: (r) => retries.push(r), ...opts },
    (p) => (pages.push(p), Promise.resolve()),
  );
  return { result, pages, calls, delays, retries };
}

async function pollError(routes: Record<string, Reply[]>, opts: Partial<PollerOptions> = {}) {
  const { fetch, calls } = fakeFetch(routes);
  const { sleep, delays } = fakeSleep();
  const error = await pollFleet({ url: `${BASE}/1`, fetch, sleep, now: () => NOW, ...opts }, () =>
    Promise.resolve(),
  ).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IsoFetchError);
  return { error: error as IsoFetchError, calls, delays };
}

describe('pollFleet: pagination', () => {
  it('follows relative and absolute next links until a page has none', async () => {
    const { result, pages, calls, delays } = await poll({
      [`${BASE}/1`]: [page('A', '/Fleet/2')],
      [`${BASE}/2`]: [page('B', `${BASE}/3`)],
      [`${BASE}/3`]: [page('C')],
    });
    expect(result).toEqual({ pages: 3, stoppedBy: 'no-next-link' });
    expect(pages.map((p) => [p.number, p.url, p.document.equipment[0].header.serialNumber])).toEqual([
      [1, `${BASE}/1`, 'A'],
      [2, `${BASE}/2`, 'B'],
      [3, `${BASE}/3`, 'C'],
    ]);
    expect(calls.map((c) => c.url)).toEqual([`${BASE}/1`, `${BASE}/2`, `${BASE}/3`]);
    expect(calls[0].headers.accept).toBe('application/xml, application/json;q=0.9');
    expect(delays).toEqual([]);
  });

  it('stops when the next link is the current page (the Takeuchi feed does this)', async () => {
    const { result, calls } = await poll({ [`${BASE}/1`]: [page('A', `${BASE}/1`)] });
    expect(result).toEqual({ pages: 1, stoppedBy: 'next-is-current' });
    expect(calls).toHaveLength(1);
  });

  it('stops when the next link leads back to a page already read', async () => {
    const { result, calls } = await poll({
      [`${BASE}/1`]: [page('A', `${BASE}/2`)],
      [`${BASE}/2`]: [page('B', `${BASE}/1`)],
    });
    expect(result).toEqual({ pages: 2, stoppedBy: 'next-already-read' });
    expect(calls).toHaveLength(2);
  });

  it('stops after maxPages when the feed never ends', async () => {
    const routes = Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [`${BASE}/${i + 1}`, [page(`S${i}`, `${BASE}/${i + 2}`)]]),
    );
    const { result, calls } = await poll(routes, { maxPages: 3 });
    expect(result).toEqual({ pages: 3, stoppedBy: 'max-pages' });
    expect(calls).toHaveLength(3);
  });

  it('reads JSON pages by their content type', async () => {
    const json = JSON.stringify({ Links: [], Equipment: [{ EquipmentHeader: { SerialNumber: 'J1' } }] });
    const { pages } = await poll({
      [`${BASE}/1`]: [{ status: 200, body: json, headers: { 'Content-Type': 'application/json' } }],
    });
    expect(pages[0].document.equipment[0].header.serialNumber).toBe('J1');
  });

  it('names the page when it cannot be parsed', async () => {
    const { error } = await pollError({
      [`${BASE}/1`]: [page('A', `${BASE}/2`)],
      [`${BASE}/2`]: [{ status: 200, body: '<Fleet><Equipment></Fleet>' }],
    });
    expect(error.message).toMatch(/^page 2 \(https:\/\/oem\.example\/Fleet\/2\): malformed XML/);
  });

  it('refuses to send credentials to a next link on another host', async () => {
    const { error, calls } = await pollError(
      { [`${BASE}/1`]: [page('A', 'https://elsewhere.example/Fleet/2')] },
      { auth: { kind: 'bearer', token: 't0k' } },
    );
    expect(error.message).toBe(
      'page 1 links to https://elsewhere.example/Fleet/2, outside https://oem.example; not sending credentials there',
    );
    expect(calls.map((c) => c.url)).toEqual([`${BASE}/1`]);
  });
});

describe('pollFleet: authentication', () => {
  it('sends a bearer token', async () => {
    const { calls } = await poll(
      { [`${BASE}/1`]: [page('A', `${BASE}/2`)], [`${BASE}/2`]: [page('B')] },
      { auth: { kind: 'bearer', token: 'abc.def' } },
    );
    expect(calls.map((c) => c.headers.authorization)).toEqual(['Bearer abc.def', 'Bearer abc.def']);
  });

  it('sends basic credentials (RFC 7617 example)', async () => {
    const { calls } = await poll(
      { [`${BASE}/1`]: [page('A')] },
      { auth: { kind: 'basic', username: 'Aladdin', password: 'open sesame' } },
    );
    expect(calls[0].headers.authorization).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });

  it('sends no Authorization header without credentials', async () => {
    const { calls } = await poll({ [`${BASE}/1`]: [page('A')] });
    expect(calls[0].headers).not.toHaveProperty('authorization');
  });

  it('does not retry a 401 and does not echo the credentials', async () => {
    const { error, calls } = await pollError(
      { [`${BASE}/1`]: [{ status: 401, body: 'invalid_token' }] },
      { auth: { kind: 'bearer', token: 'secret-token-1' } },
    );
    expect(error.status).toBe(401);
    expect(error.message).toBe(
      'HTTP 401 from https://oem.example/Fleet/1 (check ISO_AUTH and its credentials): invalid_token',
    );
    expect(error.message).not.toContain('secret-token-1');
    expect(calls).toHaveLength(1);
  });
});

describe('pollFleet: throttling and server errors', () => {
  it('waits the Retry-After seconds of a 429, then reads the page', async () => {
    const { result, calls, delays, retries } = await poll({
      [`${BASE}/1`]: [{ status: 429, headers: { 'Retry-After': '7' } }, page('A')],
    });
    expect(result.pages).toBe(1);
    expect(calls).toHaveLength(2);
    expect(delays).toEqual([7000]);
    expect(retries).toEqual([
      { url: `${BASE}/1`, attempt: 1, status: 429, delayMs: 7000, reason: 'HTTP 429' },
    ]);
  });

  it('waits until a Retry-After HTTP date', async () => {
    const { delays } = await poll({
      [`${BASE}/1`]: [
        { status: 429, headers: { 'Retry-After': new Date(NOW + 90_000).toUTCString() } },
        { status: 429, headers: { 'Retry-After': new Date(NOW - 5_000).toUTCString() } },
        page('A'),
      ],
    });
    expect(delays).toEqual([90_000, 0]);
  });

  it('backs off exponentially, up to the cap, on a 429 without Retry-After', async () => {
    const busy = { status: 429 };
    const { delays } = await poll(
      { [`${BASE}/1`]: [busy, busy, busy, busy, page('A')] },
      { backoff: { initialMs: 500, maxMs: 1500 } },
    );
    expect(delays).toEqual([500, 1000, 1500, 1500]);
  });

  it('retries 5xx and network errors with back-off, then continues with the next page', async () => {
    const { result, calls, delays } = await poll({
      [`${BASE}/1`]: [page('A', `${BASE}/2`)],
      [`${BASE}/2`]: [{ status: 503 }, new TypeError('fetch failed'), { status: 502 }, page('B')],
    });
    expect(result).toEqual({ pages: 2, stoppedBy: 'no-next-link' });
    expect(calls.map((c) => c.url)).toEqual([`${BASE}/1`, ...Array(4).fill(`${BASE}/2`)]);
    expect(delays).toEqual([1000, 2000, 4000]);
  });

  it('retries a page whose body is cut off', async () => {
    let n = 0;
    const fetch: FetchLike = () =>
      Promise.resolve(
        n++ === 0
          ? { status: 200, headers: { get: () => null }, text: () => Promise.reject(new Error('terminated')) }
          : response(page('A') as { status: number; body: string }),
      );
    const { sleep, delays } = fakeSleep();
    const retries: unknown[] = [];
    const result = await pollFleet({ url: `${BASE}/1`, fetch, sleep, onRetry: (r) => retries.push(r) }, () =>
      Promise.resolve(),
    );
    expect(result.pages).toBe(1);
    expect(delays).toEqual([1000]);
    expect(retries).toEqual([
      { url: `${BASE}/1`, attempt: 1, delayMs: 1000, reason: 'network error: terminated', status: undefined },
    ]);
  });

  it('gives up after maxAttempts with the last problem in the message', async () => {
    const { error, calls, delays } = await pollError(
      { [`${BASE}/1`]: [{ status: 500 }] },
      { maxAttempts: 3 },
    );
    expect(error.message).toBe('gave up on https://oem.example/Fleet/1 after 3 attempts; last: HTTP 500');
    expect(error.status).toBe(500);
    expect(calls).toHaveLength(3);
    expect(delays).toEqual([1000, 2000]);
  });

  it('gives up at once when Retry-After asks for longer than the limit', async () => {
    const { error, calls, delays } = await pollError({
      [`${BASE}/1`]: [{ status: 429, headers: { 'Retry-After': '3600' } }],
    });
    expect(error.message).toBe(
      'https://oem.example/Fleet/1 asked to retry after 3600 s (HTTP 429), more than the 900 s limit; giving up',
    );
    expect(calls).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('stops retrying when aborted', async () => {
    const stop = new AbortController();
    const { fetch } = fakeFetch({ [`${BASE}/1`]: [{ status: 503 }] });
    const sleep = () => (stop.abort(), Promise.resolve());
    await expect(
      pollFleet({ url: `${BASE}/1`, fetch, sleep, signal: stop.signal }, () => Promise.resolve()),
    ).rejects.toThrow('poll aborted');
  });
});

describe('retryAfterMs and displayUrl', () => {
  it.each([
    [null, undefined],
    ['0', 0],
    [' 120 ', 120_000],
    ['Fri, 10 Apr 2026 12:00:30 GMT', 30_000],
    ['Fri, 10 Apr 2026 11:00:00 GMT', 0],
    ['soon', undefined],
    ['-5', undefined],
  ])('reads Retry-After %p as %p ms', (value, ms) => {
    expect(retryAfterMs(value, NOW)).toBe(ms);
  });

  it('drops user info and masks secret-looking query values', () => {
    expect(displayUrl('https://u:p@oem.example/Fleet/1?api_key=k&page=2&access_token=t')).toBe(
      'https://oem.example/Fleet/1?api_key=redacted&page=2&access_token=redacted',
    );
  });
});

describe('runOnSchedule', () => {
  it('runs a cycle, sleeps the interval, keeps going after a failure, stops on abort', async () => {
    const stop = new AbortController();
    const delays: number[] = [];
    const errors: unknown[] = [];
    let runs = 0;
    await runOnSchedule(
      () => {
        runs++;
        return runs === 2 ? Promise.reject(new Error('endpoint down')) : Promise.resolve();
      },
      {
        intervalMs: 60_000,
        signal: stop.signal,
        sleep: (ms) => {
          delays.push(ms);
          if (delays.length === 3) stop.abort();
          return Promise.resolve();
        },
        onError: (e) => errors.push(e),
      },
    );
    expect(runs).toBe(3);
    expect(delays).toEqual([60_000, 60_000, 60_000]);
    expect(errors).toEqual([new Error('endpoint down')]);
  });
});
