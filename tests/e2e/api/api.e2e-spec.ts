import type { Consumer, KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { isolatedEnv, runCli, startApp, waitFor, type AppProcess } from '../../support';
import { collectTopic, configOf, createToken, managerToken, openDb, seedTasks } from './api-fixtures';

interface ErrorBody {
  error: { code: string; message: string; id: string };
}
interface TaskBody {
  id: string;
  status: string;
  assignee: string | null;
  outcome: string | null;
  [k: string]: unknown;
}

describe('the API (api role, bearer tokens, isolation, outcomes to Kafka)', () => {
  const env = isolatedEnv({ ROLES: 'api', DEALER_ECONOMICS: '{"d1": {"currency": "EUR"}}' });
  const config = configOf(env);
  let app: AppProcess;
  let ds: DataSource;
  let outcomes: { messages: KafkaMessage[]; consumer: Consumer };
  const tok: Record<string, string> = {};

  const call = async (token: string | undefined, method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers.authorization = token.startsWith('rpt_') ? `Bearer ${token}` : token;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${app.baseUrl}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const get = (token: string | undefined, path: string) => call(token, 'GET', path);
  const post = (token: string | undefined, path: string, body?: unknown) => call(token, 'POST', path, body);

  beforeAll(async () => {
    expect((await runCli(['topics'], env)).code).toBe(0);
    app = await startApp(env);
    ds = await openDb(config);
    await seedTasks(ds, [
      { dealer: 'd1', id: 'tA1', branch: 'A', customer: 'cA', serial: 'mA', priority: 90 },
      { dealer: 'd1', id: 'tA2', branch: 'A', customer: 'cA2', serial: null, priority: 80 },
      { dealer: 'd1', id: 'tA3', branch: 'A', customer: 'cA3', serial: 'mA3', priority: 80 },
      {
        dealer: 'd1',
        id: 'tA4',
        branch: 'A',
        customer: 'cA4',
        priority: 70,
        status: 'claimed',
        assignee: 'carol',
      },
      { dealer: 'd1', id: 'tA5', branch: 'A', customer: 'cA5', priority: 99, status: 'holdout' },
      { dealer: 'd1', id: 'tB1', branch: 'B', customer: 'cB', serial: 'mB', priority: 95 },
      { dealer: 'd2', id: 'tX1', branch: 'A', customer: 'cX', serial: 'mX', priority: 99 },
    ]);
    await ds.query(
      `INSERT INTO customers (dealer_id, customer_id, name, branch_id, phone, email, updated_at, event_id) VALUES
        ('d1', 'cA', 'Anna Secret', 'A', '+49 555 0101', 'anna@example.com', now(), 'e0'),
        ('d1', 'cB', 'Bernd Secret', 'B', '+49 555 0102', 'bernd@example.com', now(), 'e0'),
        ('d2', 'cX', 'Xaver Secret', 'A', '+49 555 0103', 'x@example.com', now(), 'e0')`,
    );
    await ds.query(
      `INSERT INTO machines (dealer_id, serial_number, customer_id, branch_id, model, hour_meter) VALUES
        ('d1', 'mA', 'cA', 'A', 'EX-210', 5120), ('d1', 'mB', 'cB', 'B', 'EX-120', 300),
        ('d2', 'mX', 'cX', 'A', 'WL-50', 10)`,
    );
    await ds.query(
      `INSERT INTO timeline (dealer_id, event_id, type, occurred_at, customer_id, serial_number, summary) VALUES
        ('d1', 'ev-1', 'work-order.closed', '2025-06-01T00:00:00Z', 'cA', 'mA', '{"kind":"service"}'),
        ('d1', 'ev-2', 'warranty.expired', '2025-10-01T00:00:00Z', 'cA', 'mA', '{"coverage":"standard"}'),
        ('d1', 'ev-3', 'work-order.closed', '2025-06-01T00:00:00Z', 'cB', 'mB', '{}')`,
    );
    await ds.query(
      `INSERT INTO decisions (dealer_id, decision_id, customer_id, serial_number, branch_id, reason_code, family,
         message, evidence_event_ids, rule_id, rule_version, episode, detected_at, clv, p_lapse, value_at_risk, priority)
       VALUES ('d1', 'dec-1', 'cA', 'mA', 'A', 'POST_WARRANTY_NO_SERVICE', 'lapse', 'No service since warranty end',
         '["ev-2"]', 'r1', '1.0.0', 'ep1', '2026-03-01T00:00:00Z', 42000, 0.4, 16800, 90)`,
    );
    tok.alice = await managerToken(env, 'd1', 'A', 'alice');
    tok.bob = await managerToken(env, 'd1', 'A', 'bob');
    tok.admin = await createToken(env, ['--dealer', 'd1', '--role', 'admin']);
    tok.otherDealer = await createToken(env, ['--dealer', 'd2', '--role', 'manager', '--branch', 'A']);
    outcomes = await collectTopic(config, env.TOPIC_OUTCOMES);
  });

  afterAll(async () => {
    await outcomes?.consumer.disconnect();
    await ds?.destroy();
    if (app) expect(await app.stop()).toBe(0);
  });

  it('stores tokens hashed, never in clear', async () => {
    const rows = await ds.query<{ token_id: string; secret_sha256: string }[]>(
      'SELECT token_id, secret_sha256 FROM api_tokens',
    );
    expect(rows).toHaveLength(4);
    const secret = tok.alice.split('_').slice(2).join('_'); // a base64url secret may hold "_"
    for (const r of rows) {
      expect(r.secret_sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(r.secret_sha256).not.toContain(secret);
    }
  });

  it('the CLI refuses a manager token without a branch, naming the option', async () => {
    const res = await runCli(['tokens', 'create', '--dealer', 'd1', '--role', 'manager'], env);
    expect(res.code).not.toBe(0);
    expect(res.output).toContain('--branch');
  });

  const routes: [string, string][] = [
    ['GET', '/api/v1/tasks'],
    ['POST', '/api/v1/tasks/tA2/claim'],
    ['POST', '/api/v1/tasks/tA2/complete'],
    ['POST', '/api/v1/tasks/tA2/unclaim'],
    ['GET', '/api/v1/me'],
    ['GET', '/api/v1/tasks/tA2'],
    ['GET', '/api/v1/customers/cA'],
    ['GET', '/api/v1/machines/mA'],
  ];

  it('answers 401 with a clear JSON error for a missing, malformed or unknown token, on every route', async () => {
    const bad = [
      undefined,
      'Basic dXNlcjpwYXNz',
      'Bearer not-a-token',
      `Bearer rpt_0123456789abcdef_${'A'.repeat(43)}`,
      `Bearer ${tok.alice.slice(0, -1)}${tok.alice.endsWith('A') ? 'B' : 'A'}`,
    ];
    for (const [method, path] of routes) {
      for (const auth of bad) {
        const res = await call(
          auth,
          method,
          path,
          method === 'POST' ? { outcome: 'unreachable' } : undefined,
        );
        expect({ path, auth, status: res.status }).toEqual({ path, auth, status: 401 });
        const err = (res.body as unknown as ErrorBody).error;
        expect(err.code).toBe('UNAUTHENTICATED');
        expect(err.message.length).toBeGreaterThan(5);
        expect(err.id).toMatch(/^[0-9a-f-]{36}$/);
      }
    }
  });

  it("lists a manager's branch queue, highest priority first, never holdout, other branches or dealers", async () => {
    const res = await get(tok.alice, '/api/v1/tasks?status=open');
    expect(res.status).toBe(200);
    const items = res.body.items as TaskBody[];
    expect(items.map((t) => t.id)).toEqual(['tA1', 'tA2', 'tA3']);
    expect(items[0]).toEqual({
      id: 'tA1',
      dealerId: 'd1',
      branchId: 'A',
      customerId: 'cA',
      customerName: 'Anna Secret',
      serialNumber: 'mA',
      machine: { oemName: null, model: 'EX-210' },
      family: 'lapse-tA1',
      reasons: [
        {
          code: 'POST_WARRANTY_NO_SERVICE',
          message: 'No dealer service since the warranty of mA ended 120 days ago',
          evidenceEventIds: ['ev-tA1-1', 'ev-tA1-2'],
          ruleVersion: '1.0.0',
          detectedAt: '2026-03-01T00:00:00.000Z',
        },
      ],
      priority: 90,
      valueAtRisk: 9000,
      currency: 'EUR',
      status: 'open',
      createdAt: expect.any(String),
      dueAt: '2026-04-01T00:00:00.000Z',
      assignee: null,
      outcome: null,
      note: null,
      closedAt: null,
      escalatedAt: null,
    });
    expect(res.body.nextCursor).toBeNull();

    const admin = await get(tok.admin, '/api/v1/tasks?status=active');
    expect((admin.body.items as TaskBody[]).map((t) => t.id)).toEqual(['tB1', 'tA1', 'tA2', 'tA3', 'tA4']);
    const other = await get(tok.otherDealer, '/api/v1/tasks');
    expect((other.body.items as TaskBody[]).map((t) => t.id)).toEqual(['tX1']);
  });

  it('pages with a cursor stable on (priority desc, task id), ties included', async () => {
    const p1 = await get(tok.admin, '/api/v1/tasks?status=active&limit=2');
    expect((p1.body.items as TaskBody[]).map((t) => t.id)).toEqual(['tB1', 'tA1']);
    const p2 = await get(
      tok.admin,
      `/api/v1/tasks?status=active&limit=2&cursor=${String(p1.body.nextCursor)}`,
    );
    expect((p2.body.items as TaskBody[]).map((t) => t.id)).toEqual(['tA2', 'tA3']);
    const p3 = await get(
      tok.admin,
      `/api/v1/tasks?status=active&limit=2&cursor=${String(p2.body.nextCursor)}`,
    );
    expect((p3.body.items as TaskBody[]).map((t) => t.id)).toEqual(['tA4']);
    expect(p3.body.nextCursor).toBeNull();
  });

  it('validates every input with a 400 naming the field', async () => {
    const cases: [string, string, unknown, string][] = [
      ['GET', '/api/v1/tasks?limit=0', undefined, 'query.limit'],
      ['GET', '/api/v1/tasks?status=maybe', undefined, 'query.status'],
      ['GET', '/api/v1/tasks?cursor=%21%21', undefined, 'query.cursor'],
      ['GET', '/api/v1/tasks?cursor=bm9wZQ', undefined, 'query.cursor'],
      ['GET', '/api/v1/tasks?sort=priority', undefined, 'sort'],
      ['POST', '/api/v1/tasks/tA2/complete', { outcome: 'happy' }, 'body.outcome'],
      ['POST', '/api/v1/tasks/tA2/complete', {}, 'body.outcome'],
      ['POST', '/api/v1/tasks/tA2/complete', { outcome: 'unreachable', extra: 1 }, 'extra'],
      ['GET', `/api/v1/customers/${'x'.repeat(200)}`, undefined, 'params.id'],
      ['GET', '/api/v1/machines/bad%00serial', undefined, 'params.serial'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await call(tok.alice, method, path, body);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      const err = (res.body as unknown as ErrorBody).error;
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.message).toContain(field);
    }
  });

  it("gives a manager 404 for another branch's and another dealer's data, on every route", async () => {
    const foreign = ['tB1', 'tX1', 'tA5'];
    for (const id of foreign) {
      for (const action of ['claim', 'complete']) {
        const res = await post(tok.alice, `/api/v1/tasks/${id}/${action}`, { outcome: 'unreachable' });
        expect({ id, action, status: res.status }).toEqual({ id, action, status: 404 });
        expect((res.body as unknown as ErrorBody).error.code).toBe('NOT_FOUND');
      }
    }
    for (const path of [
      '/api/v1/customers/cB',
      '/api/v1/customers/cX',
      '/api/v1/machines/mB',
      '/api/v1/machines/mX',
    ]) {
      const res = await get(tok.alice, path);
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    // The other dealer's manager has a branch called A too: still nothing of d1.
    for (const path of ['/api/v1/customers/cA', '/api/v1/machines/mA']) {
      expect((await get(tok.otherDealer, path)).status).toBe(404);
    }
    expect((await post(tok.otherDealer, '/api/v1/tasks/tA1/claim')).status).toBe(404);
    // Nothing changed behind the 404s.
    const rows = await ds.query<{ task_id: string; status: string }[]>(
      `SELECT task_id, status FROM tasks WHERE task_id IN ('tB1', 'tX1', 'tA5') ORDER BY task_id`,
    );
    expect(rows).toEqual([
      { task_id: 'tA5', status: 'holdout' },
      { task_id: 'tB1', status: 'open' },
      { task_id: 'tX1', status: 'open' },
    ]);
  });

  it('claims a task, and refuses with 409 a task someone else claimed', async () => {
    const mine = await post(tok.alice, '/api/v1/tasks/tA1/claim');
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ id: 'tA1', status: 'claimed', assignee: 'alice' });
    expect((await post(tok.alice, '/api/v1/tasks/tA1/claim')).status).toBe(200); // idempotent for the holder

    const theirs = await post(tok.bob, '/api/v1/tasks/tA1/claim');
    expect(theirs.status).toBe(409);
    const err = (theirs.body as unknown as ErrorBody).error;
    expect(err.code).toBe('TASK_CLAIMED_BY_OTHER');
    expect(err.message).toBe('task tA1 is already claimed by alice; only they can work it');
    expect((await post(tok.bob, '/api/v1/tasks/tA1/complete', { outcome: 'unreachable' })).status).toBe(409);
    expect((await post(tok.alice, '/api/v1/tasks/tA4/claim')).body).toMatchObject({
      error: { code: 'TASK_CLAIMED_BY_OTHER' },
    });
  });

  it('completes with an outcome: done, one outbox row, exactly one message on followup.outcomes', async () => {
    const res = await post(tok.alice, '/api/v1/tasks/tA1/complete', {
      outcome: 'service-booked',
      note: 'booked 12 May',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'tA1',
      status: 'done',
      outcome: 'service-booked',
      note: 'booked 12 May',
    });
    expect(res.body.closedAt).toEqual(expect.any(String));

    const again = await post(tok.alice, '/api/v1/tasks/tA1/complete', { outcome: 'unreachable' });
    expect(again.status).toBe(409);
    expect((again.body as unknown as ErrorBody).error.code).toBe('TASK_CLOSED');

    const outbox = await ds.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM outbox WHERE kind = 'outcome' AND dedup_key = 'tA1'`,
    );
    expect(Number(outbox[0].n)).toBe(1);
    await waitFor('the outcome on Kafka', () => outcomes.messages.length > 0, 30_000);
    await new Promise((r) => setTimeout(r, 3_000)); // a second publish would show up by now
    expect(outcomes.messages).toHaveLength(1);
    const m = outcomes.messages[0];
    expect(m.key?.toString()).toBe('cA');
    expect(m.headers?.['x-outcome-id']?.toString()).toBe('outcome:tA1');
    expect(JSON.parse(m.value!.toString())).toEqual({
      id: 'outcome:tA1',
      dealerId: 'd1',
      taskId: 'tA1',
      customerId: 'cA',
      serialNumber: 'mA',
      branchId: 'A',
      family: 'lapse-tA1',
      reasonCodes: ['POST_WARRANTY_NO_SERVICE'],
      outcome: 'service-booked',
      note: 'booked 12 May',
      completedBy: 'alice',
      completedAt: res.body.closedAt,
    });
    const published = await ds.query<{ published_at: Date | null }[]>(
      `SELECT published_at FROM outbox WHERE kind = 'outcome'`,
    );
    expect(published[0].published_at).not.toBeNull();
    const open = await get(tok.alice, '/api/v1/tasks?status=done');
    expect((open.body.items as TaskBody[]).map((t) => t.id)).toEqual(['tA1']);
  });

  it("shows a customer (name, value, risk, open tasks, timeline), never the customer's phone or email", async () => {
    const res = await get(tok.alice, '/api/v1/customers/cA');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: 'cA',
      name: 'Anna Secret',
      dealerId: 'd1',
      branchId: 'A',
      value: {
        clv: 42000,
        pLapse: 0.4,
        valueAtRisk: 16800,
        currency: 'EUR',
        asOf: '2026-03-01T00:00:00.000Z',
      },
      risk: [{ code: 'POST_WARRANTY_NO_SERVICE', serialNumber: 'mA' }],
      machines: [{ serialNumber: 'mA', model: 'EX-210' }],
    });
    expect((res.body.timeline as { eventId: string }[]).map((e) => e.eventId)).toEqual(['ev-2', 'ev-1']);
    const text = JSON.stringify(res.body);
    for (const pii of ['555', 'example.com']) expect(text).not.toContain(pii);
  });

  it('shows a machine with its timeline', async () => {
    const res = await get(tok.alice, '/api/v1/machines/mA');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ serialNumber: 'mA', customerId: 'cA', branchId: 'A', hourMeter: 5120 });
    expect((res.body.timeline as unknown[]).length).toBe(2);
  });

  it('serves the OpenAPI document', async () => {
    const res = await fetch(`${app.baseUrl}/api/docs-json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/v1/customers/{id}',
      '/api/v1/machines/{serial}',
      '/api/v1/me',
      '/api/v1/metrics/retention',
      '/api/v1/tasks',
      '/api/v1/tasks/{id}',
      '/api/v1/tasks/{id}/claim',
      '/api/v1/tasks/{id}/complete',
      '/api/v1/tasks/{id}/unclaim',
    ]);
  });
});
