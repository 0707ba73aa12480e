import type { DataSource } from 'typeorm';
import { isolatedEnv, runCli, startApp, waitFor, type AppProcess } from '../../support';
import { configOf, createToken, managerToken, openDb, seedTasks } from './api-fixtures';

interface ErrorBody {
  error: { code: string; message: string; id: string };
}

const idOf = (token: string) => token.split('_')[1];

/**
 * Releasing claims (unclaim, token revocation), GET /me, the task view saying who and which machine with a
 * currency, the contract list without synthetic expiry rows, and the headers of every API response.
 */
describe('the API: unclaim, /me, who and which machine, response headers', () => {
  const env = isolatedEnv({
    ROLES: 'api',
    DEALER_ECONOMICS: '{"d1": {"currency": "EUR"}}',
    LOG_LEVEL: 'info', // the claim-release record is an info line
  });
  const config = configOf(env);
  let app: AppProcess;
  let ds: DataSource;
  const tok: Record<string, string> = {};

  const call = async (token: string | undefined, method: string, path: string) => {
    const res = await fetch(`${app.baseUrl}${path}`, {
      method,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };
  const get = (token: string | undefined, path: string) => call(token, 'GET', path);
  const post = (token: string | undefined, path: string) => call(token, 'POST', path);
  const error = (res: { body: unknown }) => (res.body as ErrorBody).error;
  const taskRow = async (id: string) =>
    (
      await ds.query<{ status: string; assignee: string | null }[]>(
        'SELECT status, assignee FROM tasks WHERE task_id = $1',
        [id],
      )
    )[0];
  /** The app's JSON log lines with this message. */
  const logLines = (msg: string) =>
    app
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.msg === msg);

  beforeAll(async () => {
    expect((await runCli(['topics'], env)).code).toBe(0);
    app = await startApp(env);
    ds = await openDb(config);
    await seedTasks(ds, [
      { dealer: 'd1', id: 'u1', branch: 'A', customer: 'cU', serial: 'mU', priority: 90 },
      { dealer: 'd1', id: 'u2', branch: 'A', customer: 'cU', serial: 'mU', priority: 89, family: 'f2' },
      {
        dealer: 'd1',
        id: 'u3',
        branch: 'A',
        customer: 'c3',
        priority: 88,
        status: 'claimed',
        assignee: 'bob',
      },
      {
        dealer: 'd1',
        id: 'u4',
        branch: 'A',
        customer: 'c4',
        priority: 87,
        status: 'done',
        assignee: 'alice',
      },
      { dealer: 'd1', id: 'u5', branch: 'A', customer: 'c5', priority: 86 },
      { dealer: 'd1', id: 'u6', branch: 'A', customer: 'c6', priority: 85, status: 'holdout' },
      {
        dealer: 'd1',
        id: 'u7',
        branch: 'B',
        customer: 'c7',
        priority: 84,
        status: 'claimed',
        assignee: 'dora',
      },
      { dealer: 'd1', id: 'u8', branch: 'A', customer: 'cNone', serial: null, priority: 83 },
      { dealer: 'd1', id: 'u9', branch: 'A', customer: 'c9', serial: 'mGhost', priority: 82 },
      { dealer: 'd1', id: 'r1', branch: 'A', customer: 'cr1', priority: 50 },
      { dealer: 'd1', id: 'r2', branch: 'A', customer: 'cr2', priority: 49 },
      { dealer: 'd2', id: 'x1', branch: 'A', customer: 'cX', priority: 10 },
    ]);
    await ds.query(`UPDATE tasks SET outcome = 'unreachable', closed_at = now() WHERE task_id = 'u4'`);
    await ds.query(
      `INSERT INTO customers (dealer_id, customer_id, name, branch_id, phone, email, updated_at, event_id) VALUES
        ('d1', 'cU', 'Ulla Kundenname', 'A', '+49 555 0199', 'ulla@example.com', now(), 'e0')`,
    );
    await ds.query(
      `INSERT INTO machines (dealer_id, serial_number, customer_id, branch_id, oem_name, model) VALUES
        ('d1', 'mU', 'cU', 'A', 'Volvo', 'EC220E')`,
    );
    await ds.query(
      `INSERT INTO warranties (dealer_id, serial_number, contract_id, coverage, starts_at, ends_at, expired_at,
                               updated_at, event_id) VALUES
        ('d1', 'mU', 'standard', 'standard', '2023-01-01Z', '2025-01-01Z', '2025-01-01Z', now(), 'w1'),
        ('d1', 'mU', 'mc-9', 'maintenance-contract', '2025-01-01Z', '2026-01-01Z', NULL, now(), 'w2'),
        ('d1', 'mU', 'maintenance-contract:expired', 'maintenance-contract', NULL, NULL, '2026-01-02Z', now(), 'w3')`,
    );
    await ds.query(
      `INSERT INTO decisions (dealer_id, decision_id, customer_id, serial_number, branch_id, reason_code, family,
         message, evidence_event_ids, rule_id, rule_version, episode, detected_at, clv, p_lapse, value_at_risk, priority)
       VALUES ('d1', 'dec-u', 'cU', 'mU', 'A', 'POST_WARRANTY_NO_SERVICE', 'lapse', 'No service since warranty end',
         '[]', 'r1', '1.0.0', 'ep1', '2026-03-01T00:00:00Z', 42000, 0.4, 16800, 90)`,
    );
    tok.alice = await managerToken(env, 'd1', 'A', 'alice');
    tok.bob = await managerToken(env, 'd1', 'A', 'bob');
    tok.admin = await createToken(env, ['--dealer', 'd1', '--role', 'admin']);
    tok.d2admin = await createToken(env, ['--dealer', 'd2', '--role', 'admin', '--name', 'zed']);
    tok.operator = await createToken(env, ['--role', 'operator', '--name', 'ops']);
  });

  afterAll(async () => {
    await ds?.destroy();
    if (app) expect(await app.stop()).toBe(0);
  });

  it('GET /me says who the token acts as; an operator token gets the 403 of the dealer API', async () => {
    expect((await get(tok.alice, '/api/v1/me')).body).toEqual({
      subject: 'alice',
      role: 'manager',
      dealerId: 'd1',
      branchId: 'A',
    });
    expect((await get(tok.admin, '/api/v1/me')).body).toEqual({
      subject: `token:${idOf(tok.admin)}`,
      role: 'admin',
      dealerId: 'd1',
      branchId: null,
    });
    const op = await get(tok.operator, '/api/v1/me');
    expect(op.status).toBe(403);
    expect(error(op).code).toBe('FORBIDDEN');
    expect(error(op).message).toBe(
      'an operator token cannot use the dealer API; use an admin or manager token',
    );
    expect((await get(undefined, '/api/v1/me')).status).toBe(401);
  });

  it('shows each task with the customer name, the machine and the currency (exact values)', async () => {
    const res = await get(tok.alice, '/api/v1/tasks?status=active&limit=200');
    const items = res.body.items as Record<string, unknown>[];
    const pick = (id: string) => {
      const t = items.find((x) => x.id === id)!;
      return { customerName: t.customerName, machine: t.machine, currency: t.currency };
    };
    expect(pick('u1')).toEqual({
      customerName: 'Ulla Kundenname',
      machine: { oemName: 'Volvo', model: 'EC220E' },
      currency: 'EUR',
    });
    expect(pick('u8')).toEqual({ customerName: null, machine: null, currency: 'EUR' }); // no serial
    expect(pick('u9')).toEqual({ customerName: null, machine: null, currency: 'EUR' }); // unknown machine
    const one = await get(tok.alice, '/api/v1/tasks/u1');
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: 'u1', ...pick('u1') });
    expect((await get(tok.alice, '/api/v1/tasks/u7')).status).toBe(404); // another branch
    expect((await get(tok.alice, '/api/v1/tasks/u6')).status).toBe(404); // holdout
    // No currency configured for d2.
    const d2 = await get(tok.d2admin, '/api/v1/tasks');
    expect((d2.body.items as Record<string, unknown>[]).map((t) => [t.id, t.currency])).toEqual([
      ['x1', null],
    ]);
    // Never the customer's phone or email.
    expect(JSON.stringify(res.body)).not.toMatch(/555|example\.com/);
  });

  it("the customer record carries the name and the value's currency, never phone or email", async () => {
    const res = await get(tok.alice, '/api/v1/customers/cU');
    expect(res.body).toMatchObject({
      id: 'cU',
      name: 'Ulla Kundenname',
      value: { clv: 42000, pLapse: 0.4, valueAtRisk: 16800, currency: 'EUR' },
      risk: [{ code: 'POST_WARRANTY_NO_SERVICE', valueAtRisk: 16800, currency: 'EUR' }],
    });
    expect((res.body.openTasks as { customerName: string }[])[0].customerName).toBe('Ulla Kundenname');
    expect(JSON.stringify(res.body)).not.toMatch(/555|example\.com/);
  });

  it('lists no synthetic expiry row as a contract: the expired cover gets expiredAt', async () => {
    const res = await get(tok.alice, '/api/v1/machines/mU');
    expect(res.body.warranties).toEqual([
      {
        contractId: 'standard',
        coverage: 'standard',
        startsAt: '2023-01-01T00:00:00.000Z',
        endsAt: '2025-01-01T00:00:00.000Z',
        expiredAt: '2025-01-01T00:00:00.000Z',
      },
      {
        contractId: 'mc-9',
        coverage: 'maintenance-contract',
        startsAt: '2025-01-01T00:00:00.000Z',
        endsAt: '2026-01-01T00:00:00.000Z',
        expiredAt: '2026-01-02T00:00:00.000Z',
      },
    ]);
  });

  it('unclaim: the assignee releases their own claim; an open task is returned unchanged', async () => {
    expect((await post(tok.alice, '/api/v1/tasks/u1/claim')).body).toMatchObject({ status: 'claimed' });
    const res = await post(tok.alice, '/api/v1/tasks/u1/unclaim');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'u1',
      status: 'open',
      assignee: null,
      customerName: 'Ulla Kundenname',
      machine: { oemName: 'Volvo', model: 'EC220E' },
      currency: 'EUR',
    });
    expect(await taskRow('u1')).toEqual({ status: 'open', assignee: null });
    const again = await post(tok.alice, '/api/v1/tasks/u1/unclaim');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: 'u1', status: 'open', assignee: null });
    // Bob can claim it now.
    expect((await post(tok.bob, '/api/v1/tasks/u1/claim')).body).toMatchObject({ assignee: 'bob' });
  });

  it("unclaim: an admin releases anyone's claim (reassign), and the log says whose, by token ids", async () => {
    expect((await post(tok.alice, '/api/v1/tasks/u2/claim')).status).toBe(200);
    const res = await post(tok.admin, '/api/v1/tasks/u2/unclaim');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'u2', status: 'open', assignee: null });
    expect((await post(tok.bob, '/api/v1/tasks/u2/claim')).body).toMatchObject({ assignee: 'bob' });
    const lines = logLines('task claim released').filter((l) => l.taskId === 'u2');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      dealerId: 'd1',
      releasedByTokenId: idOf(tok.admin),
      releasedByRole: 'admin',
      ownClaim: false,
      holderTokenIds: [idOf(tok.alice)],
    });
    expect(app.output()).not.toContain('Ulla');
  });

  it("unclaim: a manager cannot release someone else's claim; done is closed; scoping as claim", async () => {
    const other = await post(tok.alice, '/api/v1/tasks/u3/unclaim');
    expect(other.status).toBe(409);
    expect(error(other)).toMatchObject({
      code: 'TASK_CLAIMED_BY_OTHER',
      message: 'task u3 is claimed by bob; only they or an admin of the dealer can release it',
    });
    expect(await taskRow('u3')).toEqual({ status: 'claimed', assignee: 'bob' });
    const done = await post(tok.alice, '/api/v1/tasks/u4/unclaim');
    expect(done.status).toBe(409);
    expect(error(done)).toMatchObject({
      code: 'TASK_CLOSED',
      message: 'task u4 is already done (outcome unreachable)',
    });
    expect((await post(tok.admin, '/api/v1/tasks/u4/unclaim')).status).toBe(409);
    expect(await taskRow('u4')).toEqual({ status: 'done', assignee: 'alice' });
    // Holdout, another branch, another dealer, unknown: 404 like claim.
    for (const [token, id] of [
      [tok.alice, 'u6'],
      [tok.alice, 'u7'],
      [tok.d2admin, 'u3'],
      [tok.alice, 'nope'],
    ] as const) {
      const res = await post(token, `/api/v1/tasks/${id}/unclaim`);
      expect({ id, status: res.status, code: error(res).code }).toEqual({
        id,
        status: 404,
        code: 'NOT_FOUND',
      });
    }
    expect(await taskRow('u7')).toEqual({ status: 'claimed', assignee: 'dora' });
    expect((await post(tok.operator, '/api/v1/tasks/u5/unclaim')).status).toBe(403);
  });

  it("tokens revoke releases its holder's claims, unless another active token of the dealer acts as them", async () => {
    const unnamed = await managerToken(env, 'd1', 'A', 'erin').then(async (erin1) => {
      tok.erin1 = erin1;
      tok.erin2 = await managerToken(env, 'd1', 'A', 'erin');
      return createToken(env, ['--dealer', 'd1', '--role', 'manager', '--branch', 'A']);
    });
    expect((await post(unnamed, '/api/v1/tasks/r1/claim')).body).toMatchObject({
      assignee: `token:${idOf(unnamed)}`,
    });
    expect((await post(tok.erin1, '/api/v1/tasks/r2/claim')).body).toMatchObject({ assignee: 'erin' });

    const r = await runCli(['tokens', 'revoke', idOf(unnamed)], env);
    expect(r.code).toBe(0);
    expect(r.output).toContain(
      `token ${idOf(unnamed)} revoked; it is refused from now on; released 1 claimed task back to the open queue`,
    );
    expect(await taskRow('r1')).toEqual({ status: 'open', assignee: null });

    // erin2 still acts as erin: the claim stays hers.
    const e1 = await runCli(['tokens', 'revoke', idOf(tok.erin1)], env);
    expect(e1.output).toContain(
      `token ${idOf(tok.erin1)} revoked; it is refused from now on; released 0 claimed tasks`,
    );
    expect(await taskRow('r2')).toEqual({ status: 'claimed', assignee: 'erin' });
    expect((await post(tok.erin2, '/api/v1/tasks/r2/unclaim')).status).toBe(200);
    expect((await post(tok.erin2, '/api/v1/tasks/r2/claim')).status).toBe(200);

    const e2 = await runCli(['tokens', 'revoke', idOf(tok.erin2)], env);
    expect(e2.output).toContain('released 1 claimed task back to the open queue');
    expect(await taskRow('r2')).toEqual({ status: 'open', assignee: null });
    // Other people's claims are untouched.
    expect(await taskRow('u3')).toEqual({ status: 'claimed', assignee: 'bob' });
  });

  it('sets no-store, nosniff and no-referrer on every API answer, and no X-Powered-By anywhere', async () => {
    const answers = [
      await get(tok.alice, '/api/v1/tasks'),
      await get(undefined, '/api/v1/tasks'),
      await get(tok.alice, '/api/v1/nowhere'),
      await get(tok.alice, '/API/V1/me'),
      await post(tok.alice, '/api/v1/tasks/u3/unclaim'),
      await get(tok.operator, '/api/v1/me'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 404, 200, 409, 403]);
    for (const a of answers) {
      expect({
        cache: a.headers.get('cache-control'),
        nosniff: a.headers.get('x-content-type-options'),
        referrer: a.headers.get('referrer-policy'),
        poweredBy: a.headers.get('x-powered-by'),
      }).toEqual({ cache: 'no-store', nosniff: 'nosniff', referrer: 'no-referrer', poweredBy: null });
    }
    const health = await fetch(`${app.baseUrl}/health`);
    expect(health.headers.get('x-powered-by')).toBeNull();
  });

  it('logs a refused token with its id and the client address, never the secret', async () => {
    const wrong = `rpt_${idOf(tok.alice)}_${'Q'.repeat(43)}`;
    expect((await get(wrong, '/api/v1/tasks')).status).toBe(401);
    expect((await get('garbage', '/api/v1/tasks')).status).toBe(401);
    // The app's log reaches its output pipe a moment after the response: wait for both lines.
    await waitFor('both refusals logged', () => {
      const found = logLines('API authentication refused');
      return found.some((l) => l.tokenId === idOf(tok.alice)) && found.some((l) => l.tokenId === null);
    });
    const lines = logLines('API authentication refused');
    expect(lines.find((l) => l.tokenId === idOf(tok.alice))).toMatchObject({
      tokenId: idOf(tok.alice),
      clientAddress: expect.stringMatching(/127\.0\.0\.1/),
      reason: 'unknown, revoked, expired or malformed token',
    });
    expect(lines.some((l) => l.tokenId === null)).toBe(true);
    expect(app.output()).not.toContain('Q'.repeat(43));
    expect(app.output()).not.toContain(tok.alice.split('_').slice(2).join('_'));
  });
});
