import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { createRedis } from '@rp/queue';
import { isolatedEnv, runCli, startApp, type AppProcess } from '../../support';
import { configOf, createToken, launchChromium, openDb } from './api-fixtures';

interface ErrorBody {
  error: { code: string; message: string; id: string };
}
interface QueuesBody {
  queues: { name: string; counts: Record<string, number>; readOnlyMode: boolean; isPaused: boolean }[];
}

const BOARD = '/admin/queues';
const QUEUES_JSON = `${BOARD}/api/queues`;
const ASSET = `${BOARD}/static/images/logo.svg`;

describe('the queue dashboard (Bull Board for platform operators, api role)', () => {
  const env = isolatedEnv({ ROLES: 'api' });
  const config = configOf(env);
  let app: AppProcess;
  let ds: DataSource;
  const tok: Record<string, string> = {};

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${app.baseUrl}${path}`, { headers, redirect: 'manual' });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const signIn = (token: string, headers: Record<string, string> = {}) =>
    fetch(`${app.baseUrl}/admin/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ token }).toString(),
      redirect: 'manual',
    });

  beforeAll(async () => {
    expect((await runCli(['topics'], env)).code).toBe(0);
    app = await startApp(env);
    ds = await openDb(config);
    tok.operator = await createToken(env, ['--role', 'operator', '--name', 'ops-oncall']);
    tok.admin = await createToken(env, ['--dealer', 'd1', '--role', 'admin']);
    tok.manager = await createToken(env, ['--dealer', 'd1', '--role', 'manager', '--branch', 'A']);
    // One waiting job per queue (this process runs no worker), so the board has something to count.
    const connection = createRedis(config.redis.url);
    try {
      for (const name of ['followups', 'alerts']) {
        const q = new Queue(name, { connection, prefix: config.redis.queuePrefix });
        await q.add('probe', { dealerId: 'd1' }, { jobId: `probe.${name}`, delay: 3_600_000 });
        await q.close();
      }
    } finally {
      await connection.quit();
    }
  });

  afterAll(async () => {
    const connection = createRedis(config.redis.url);
    for (const name of ['followups', 'alerts']) {
      const q = new Queue(name, { connection, prefix: config.redis.queuePrefix });
      await q.obliterate({ force: true });
      await q.close();
    }
    await connection.quit();
    await ds?.query(`DROP SCHEMA IF EXISTS "${config.database.schema}" CASCADE`);
    await ds?.destroy();
    if (app) expect(await app.stop()).toBe(0);
  });

  it('the CLI creates an operator token without a dealer, and refuses one scoped to a dealer', async () => {
    const rows = await ds.query<{ role: string; dealer_id: string | null; name: string | null }[]>(
      `SELECT role, dealer_id, name FROM api_tokens WHERE role = 'operator'`,
    );
    expect(rows).toEqual([{ role: 'operator', dealer_id: null, name: 'ops-oncall' }]);
    const res = await runCli(['tokens', 'create', '--role', 'operator', '--dealer', 'd1'], env);
    expect(res.code).not.toBe(0);
    expect(res.output).toContain('an operator token is not scoped to a dealer: drop --dealer');
  });

  it('answers 401 without a token, with a bad one or a malformed header: JSON API, page and assets', async () => {
    for (const path of [
      QUEUES_JSON,
      BOARD,
      `${BOARD}/queue/alerts`,
      ASSET,
      `${QUEUES_JSON}/alerts/probe.alerts`,
    ]) {
      const unknownToken = 'rpt_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
      const attempts: Record<string, string>[] = [
        {},
        bearer(unknownToken),
        bearer('not-a-token'),
        { authorization: tok.operator },
        { cookie: `rp_operator=${unknownToken}` },
      ];
      for (const headers of attempts) {
        const res = await get(path, headers);
        expect({ path, headers, status: res.status }).toEqual({ path, headers, status: 401 });
        const body = (await res.json()) as ErrorBody;
        expect(body.error.code).toBe('UNAUTHENTICATED');
        expect(body.error.id).toMatch(/^[0-9a-f-]{36}$/);
      }
    }
    const put = await fetch(`${app.baseUrl}${BOARD}/api/queues/alerts/pause`, { method: 'PUT' });
    expect(put.status).toBe(401);
  });

  it('shows a browser the sign-in form with the 401', async () => {
    const res = await get(BOARD, { accept: 'text/html,application/xhtml+xml' });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const html = await res.text();
    expect(html).toContain('<form method="post" action="/admin/sign-in">');
    expect(html).toContain('sign in with an operator token');
  });

  it('answers 403 to a dealer admin and a branch manager: the queues hold every dealer’s jobs', async () => {
    for (const who of ['admin', 'manager']) {
      for (const path of [QUEUES_JSON, BOARD, ASSET]) {
        const res = await get(path, bearer(tok[who]));
        expect({ who, path, status: res.status }).toEqual({ who, path, status: 403 });
        const body = (await res.json()) as ErrorBody;
        expect(body.error.code).toBe('FORBIDDEN');
        expect(body.error.message).toBe(
          'the queue dashboard needs an operator token; dealer tokens cannot open it',
        );
      }
    }
  });

  it('serves the board to an operator: queues JSON lists the followups and alerts queues', async () => {
    const res = await get(QUEUES_JSON, bearer(tok.operator));
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as QueuesBody;
    expect(body.queues.map((q) => q.name).sort()).toEqual(['alerts', 'followups']);
    for (const q of body.queues) {
      expect(q.counts.delayed).toBe(1);
      expect(q.readOnlyMode).toBe(false);
    }
    const page = await get(BOARD, bearer(tok.operator));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<base href="/admin/queues/"');
    const asset = await get(ASSET, bearer(tok.operator));
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toContain('image/svg+xml');
  });

  it('refuses the operator token on the dealer task API (403), so it reads no dealer’s tasks', async () => {
    const res = await get('/api/v1/tasks', bearer(tok.operator));
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error.code).toBe('FORBIDDEN');
    expect((await get('/api/v1/customers/c1', bearer(tok.operator))).status).toBe(403);
  });

  it('signs a browser in with an HttpOnly, SameSite=Strict cookie verified like the bearer token', async () => {
    const res = await signIn(tok.operator, { origin: app.baseUrl });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(BOARD);
    const cookies = res.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    const [cookie, ...attributes] = cookies[0].split('; ');
    expect(cookie).toBe(`rp_operator=${tok.operator}`);
    expect(attributes).toEqual(
      expect.arrayContaining(['Path=/admin', 'HttpOnly', 'SameSite=Strict', 'Max-Age=28800']),
    );
    const board = await get(QUEUES_JSON, { cookie });
    expect(board.status).toBe(200);
    expect(((await board.json()) as QueuesBody).queues).toHaveLength(2);
    const page = await get(BOARD, { cookie, accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
  });

  it('refuses to sign in a dealer token (403) or a bad one (401), and sets no cookie', async () => {
    for (const [token, status, message] of [
      [tok.admin, 403, 'dealer tokens cannot open it'],
      [tok.manager, 403, 'dealer tokens cannot open it'],
      [
        'rpt_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        401,
        'unknown, revoked, expired or malformed',
      ],
    ] as const) {
      const res = await signIn(token);
      expect(res.status).toBe(status);
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await res.text()).toContain(message);
    }
    const admin = await get(QUEUES_JSON, { cookie: `rp_operator=${tok.admin}` });
    expect(admin.status).toBe(403);
  });

  it('refuses a cross-site change riding on the cookie and a cross-site sign-in', async () => {
    const cookie = `rp_operator=${tok.operator}`;
    const crossSite = await fetch(`${app.baseUrl}${BOARD}/api/queues/alerts/pause`, {
      method: 'PUT',
      headers: { cookie, origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as ErrorBody).error.message).toBe(
      'cross-site request refused (Origin https://evil.example)',
    );
    const fetchSite = await fetch(`${app.baseUrl}${BOARD}/api/queues/alerts/pause`, {
      method: 'PUT',
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
    });
    expect(fetchSite.status).toBe(403);
    const signInElsewhere = await signIn(tok.operator, { origin: 'https://evil.example' });
    expect(signInElsewhere.status).toBe(403);
    expect(signInElsewhere.headers.getSetCookie()).toEqual([]);
    const queues = (await (await get(QUEUES_JSON, bearer(tok.operator))).json()) as QueuesBody;
    expect(queues.queues.map((q) => q.isPaused)).toEqual([false, false]);
  });

  it('works in a browser: the sign-in form leads to the board, whose script cannot read the token', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      // The board's stylesheet links a web font; the test stays offline.
      await page.route(
        (url) => !url.href.startsWith(app.baseUrl),
        (route) => route.abort(),
      );
      const first = await page.goto(`${app.baseUrl}${BOARD}`);
      expect(first?.status()).toBe(401);
      await page.fill('#token', tok.operator);
      await Promise.all([page.waitForURL(`${app.baseUrl}${BOARD}`), page.click('button[type=submit]')]);
      await page.getByText('followups').first().waitFor();
      await page.getByText('alerts').first().waitFor();
      expect(await page.evaluate<string>('document.cookie')).not.toContain('rp_operator');
      const cookie = (await page.context().cookies()).find((c) => c.name === 'rp_operator');
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/admin' });
    } finally {
      await browser.close();
    }
  });

  it('signs out by clearing the cookie, and a revoked operator token stops working at once', async () => {
    const out = await fetch(`${app.baseUrl}/admin/sign-out`, {
      method: 'POST',
      headers: { cookie: `rp_operator=${tok.operator}`, origin: app.baseUrl },
      redirect: 'manual',
    });
    expect(out.status).toBe(303);
    expect(out.headers.getSetCookie()[0]).toMatch(
      /^rp_operator=; Path=\/admin; Max-Age=0; HttpOnly; SameSite=Strict/,
    );
    await ds.query(`UPDATE api_tokens SET revoked_at = now() WHERE role = 'operator'`);
    expect((await get(QUEUES_JSON, bearer(tok.operator))).status).toBe(401);
    const byCookie = await get(QUEUES_JSON, { cookie: `rp_operator=${tok.operator}` });
    expect(byCookie.status).toBe(401);
    expect(byCookie.headers.getSetCookie()[0]).toMatch(/^rp_operator=; /);
  });
});
