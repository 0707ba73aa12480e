import type { DataSource } from 'typeorm';
import { isolatedEnv, runCli, startApp, type AppProcess } from '../../support';
import { configOf, createToken, managerToken, openDb, seedTasks } from './api-fixtures';

interface ErrorBody {
  error: { code: string; message: string; id: string };
}

/**
 * Inputs at the edges of what Postgres and the event contract accept, answered with the API's error shape:
 * NUL and unpaired surrogates, malformed JSON, unknown routes, and identifiers with '/' and spaces.
 */
describe('the API at the edges of its input', () => {
  const env = isolatedEnv({ ROLES: 'api' });
  const config = configOf(env);
  let app: AppProcess;
  let ds: DataSource;
  let token: string;

  /** Sends `body` as it is (a string is sent raw, to send malformed JSON). */
  const call = async (method: string, path: string, body?: unknown, auth = token) => {
    const res = await fetch(`${app.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${auth}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const expectApiError = (res: { status: number; body: unknown }, status: number, code: string) => {
    expect(res.status).toBe(status);
    const body = res.body as ErrorBody;
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error).sort()).toEqual(['code', 'id', 'message']);
    expect(body.error.code).toBe(code);
    expect(body.error.id).toMatch(/^[0-9a-f-]{36}$/);
    return body.error.message;
  };

  beforeAll(async () => {
    app = await startApp(env);
    ds = await openDb(config);
    await seedTasks(ds, [
      { dealer: 'd1', id: 't1', branch: 'A', customer: 'c1', serial: 'm1', priority: 90 },
      { dealer: 'd1', id: 't2', branch: 'A', customer: 'c2', serial: 'm2', priority: 80 },
      {
        dealer: 'd1',
        id: 'lapse:10023/01',
        branch: 'A',
        customer: '10023/01',
        serial: 'CAT 320/7',
        priority: 70,
      },
    ]);
    await ds.query(
      `INSERT INTO customers (dealer_id, customer_id, name, branch_id, updated_at, event_id)
       VALUES ('d1', '10023/01', 'Anna', 'A', now(), 'e0')`,
    );
    await ds.query(
      `INSERT INTO machines (dealer_id, serial_number, customer_id, branch_id, model, hour_meter)
       VALUES ('d1', 'CAT 320/7', '10023/01', 'A', 'CAT 320', 4100)`,
    );
    token = await createToken(env, ['--dealer', 'd1', '--role', 'admin', '--name', 'alice']);
  });

  afterAll(async () => {
    await ds?.destroy();
    if (app) expect(await app.stop()).toBe(0);
  });

  it('refuses a note with NUL or an unpaired surrogate with 400 naming body.note, and logs no note', async () => {
    const nul = await call('POST', '/api/v1/tasks/t1/complete', {
      outcome: 'unreachable',
      note: 'Private note\u0000 from the manager',
    });
    expect(expectApiError(nul, 400, 'VALIDATION_FAILED')).toBe(
      'body.note: must not contain the NUL character (\\u0000)',
    );
    // JSON.stringify writes the lone surrogate as the escape \ud800, which JSON.parse turns back into one.
    const surrogate = await call('POST', '/api/v1/tasks/t1/complete', {
      outcome: 'unreachable',
      note: 'Private note \ud800',
    });
    expect(expectApiError(surrogate, 400, 'VALIDATION_FAILED')).toBe(
      'body.note: must not contain an unpaired UTF-16 surrogate (invalid Unicode)',
    );
    const [task] = await ds.query<{ status: string }[]>(`SELECT status FROM tasks WHERE task_id = 't1'`);
    expect(task.status).toBe('open');
    expect(app.output()).not.toContain('Private note');
  });

  it('refuses a cursor whose task id holds NUL or an unpaired surrogate with 400 on query.cursor', async () => {
    for (const json of ['["80","t\\u0000"]', '["80","t\\ud800"]']) {
      const cursor = Buffer.from(json).toString('base64url');
      const res = await call('GET', `/api/v1/tasks?cursor=${cursor}`);
      expect(expectApiError(res, 400, 'VALIDATION_FAILED')).toBe(
        'query.cursor: not a cursor returned as nextCursor',
      );
    }
  });

  it("answers malformed JSON and unknown /api/v1 routes in the API's error shape", async () => {
    const malformed = await call('POST', '/api/v1/tasks/t1/complete', '{"outcome": unreachable');
    expect(expectApiError(malformed, 400, 'VALIDATION_FAILED')).toMatch(/^body: not valid JSON \(.+\)$/);
    expectApiError(await call('GET', '/api/v1/nope'), 404, 'NOT_FOUND');
    expectApiError(await call('POST', '/api/v1/tasks'), 404, 'NOT_FOUND');
    expectApiError(await call('GET', '/api/v1/nope', undefined, 'rpt_unknown'), 404, 'NOT_FOUND');
  });

  it('leaves the routes outside the API to Nest: /health works, an unknown path gets the default 404', async () => {
    expect((await fetch(`${app.baseUrl}/health`)).status).toBe(200);
    const res = await fetch(`${app.baseUrl}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ statusCode: 404, message: 'Cannot GET /nope', error: 'Not Found' });
    expect((await fetch(`${app.baseUrl}/inbox`)).status).toBe(200);
  });

  it("opens a machine, a customer and a task whose ids hold '/' and spaces, as the contract allows", async () => {
    const machine = await call('GET', `/api/v1/machines/${encodeURIComponent('CAT 320/7')}`);
    expect(machine.status).toBe(200);
    expect(machine.body).toMatchObject({
      serialNumber: 'CAT 320/7',
      customerId: '10023/01',
      model: 'CAT 320',
    });
    const customer = await call('GET', `/api/v1/customers/${encodeURIComponent('10023/01')}`);
    expect(customer.status).toBe(200);
    expect(customer.body).toMatchObject({ id: '10023/01', machines: [{ serialNumber: 'CAT 320/7' }] });
    const claim = await call('POST', `/api/v1/tasks/${encodeURIComponent('lapse:10023/01')}/claim`);
    expect(claim.status).toBe(200);
    expect(claim.body).toMatchObject({ id: 'lapse:10023/01', status: 'claimed', assignee: 'alice' });
    // Still refused: control characters.
    const nul = await call('GET', '/api/v1/machines/CAT%00320');
    expect(expectApiError(nul, 400, 'VALIDATION_FAILED')).toBe(
      'params.serial: must not contain control characters',
    );
  });

  it('lists tokens without their secret, and a revoked token is refused from its next request', async () => {
    const other = await managerToken(env, 'd1', 'A', 'bo');
    // rpt_<id>_<secret>: the secret is base64url and may itself hold "_" (even start with it).
    const [, otherId] = other.split('_');
    const otherSecret = other.slice(`rpt_${otherId}_`.length);
    expect(otherSecret).toHaveLength(43);
    expect((await call('GET', '/api/v1/tasks', undefined, other)).status).toBe(200);

    const list = await runCli(['tokens', 'list'], env);
    expect(list.code).toBe(0);
    const [hash] = await ds.query<{ secret_sha256: string }[]>(
      'SELECT secret_sha256 FROM api_tokens WHERE token_id = $1',
      [otherId],
    );
    expect(list.output).not.toContain(otherSecret);
    expect(list.output).not.toContain(hash.secret_sha256);
    expect(list.output).toContain('id\trole\tdealer\tbranch\tname\tcreated\texpires\trevoked\n');
    expect(list.output).toMatch(new RegExp(`^${otherId}\\tmanager\\td1\\tA\\tbo\\t\\S+Z\\t-\\t-$`, 'm'));

    const revoke = await runCli(['tokens', 'revoke', otherId], env);
    expect(revoke.code).toBe(0);
    expect(revoke.output).toContain(`token ${otherId} revoked; it is refused from now on`);
    expectApiError(await call('GET', '/api/v1/tasks', undefined, other), 401, 'UNAUTHENTICATED');
    expect((await call('GET', '/api/v1/tasks')).status).toBe(200); // the other token still works

    const again = await runCli(['tokens', 'revoke', otherId], env);
    expect(again.code).toBe(0);
    expect(again.output).toMatch(
      new RegExp(`token ${otherId} was already revoked at \\S+Z; nothing changed`),
    );
    const listed = await runCli(['tokens', 'list'], env);
    expect(listed.output).toMatch(
      new RegExp(`^${otherId}\\tmanager\\td1\\tA\\tbo\\t\\S+Z\\t-\\t\\S+Z$`, 'm'),
    );

    const unknown = await runCli(['tokens', 'revoke', '0123456789abcdef'], env);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain('error: no token with id 0123456789abcdef (see tokens list)');
    const malformed = await runCli(['tokens', 'revoke', other], env);
    expect(malformed.code).not.toBe(0);
    expect(malformed.output).toContain(
      'that is not a token id: give the 16 hex characters after rpt_ (see tokens list), not the token itself',
    );
    expect(malformed.output).not.toContain(otherSecret); // the clear token is not echoed back
  });
});
