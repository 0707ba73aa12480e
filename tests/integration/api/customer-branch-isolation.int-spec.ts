import { startApiHarness, type ApiHarness } from './records-harness';

interface Body {
  [k: string]: unknown;
}
const ids = (list: unknown) => (list as { eventId: string }[]).map((e) => e.eventId);
const risks = (list: unknown) =>
  (list as { code: string; serialNumber: string | null }[]).map((r) => `${r.code}@${r.serialNumber ?? '-'}`);

/**
 * Customer c1 belongs to branch A and owns mA (branch A) and mB (branch B); its machine-level work on mB is
 * routed to B. Manager B must see c1's mB side only: not mA, not its DETRACTOR decision, not its events,
 * not c1's customer-level entries (those belong to the home branch A).
 */
describe('GET /api/v1/customers/{id} and /machines/{serial}: branch isolation and ownership', () => {
  let api: ApiHarness;
  const tok: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApiHarness();
    const { ds } = api;
    await ds.query(
      `INSERT INTO customers (dealer_id, customer_id, name, branch_id, updated_at, event_id) VALUES
        ('d1', 'c1', 'Secret Name', 'A', now(), 'e0'), ('d1', 'c2', 'Buyer', 'B', now(), 'e0'),
        ('d1', 'c3', 'Seller', 'B', now(), 'e0'), ('d2', 'c1', 'Other dealer', 'B', now(), 'e0')`,
    );
    await ds.query(
      `INSERT INTO machines (dealer_id, serial_number, customer_id, branch_id, model, owner_since, sold_at) VALUES
        ('d1', 'mA', 'c1', 'A', 'EX-210', '2024-01-01Z', NULL), ('d1', 'mB', 'c1', 'B', 'EX-120', '2024-01-01Z', NULL),
        ('d1', 'mS', 'c2', 'B', 'WL-50', '2025-06-01Z', '2025-06-01Z'),
        ('d2', 'mX', 'c1', 'B', 'WL-50', '2024-01-01Z', NULL)`,
    );
    await ds.query(
      `INSERT INTO ownership_history (dealer_id, event_id, serial_number, from_customer_id, to_customer_id, branch_id,
         transferred_at) VALUES ('d1', 'ev-s-transfer', 'mS', 'c3', 'c2', 'B', '2025-06-01Z')`,
    );
    await ds.query(
      `INSERT INTO decisions (dealer_id, decision_id, customer_id, serial_number, branch_id, reason_code, family,
         message, evidence_event_ids, rule_id, rule_version, episode, detected_at, clv, p_lapse, value_at_risk, priority)
       VALUES
        ('d1', 'dec-a', 'c1', 'mA', 'A', 'DETRACTOR', 'experience', 'close the loop', '[]', 'r', '1', 'e',
         '2026-03-05Z', 50000, 0.5, 25000, 99),
        ('d1', 'dec-b', 'c1', 'mB', 'B', 'POST_WARRANTY_NO_SERVICE', 'lapse', 'no service', '[]', 'r', '1', 'e',
         '2026-03-01Z', 40000, 0.25, 10000, 50),
        ('d1', 'dec-c', 'c1', NULL, 'A', 'PURCHASE_GAP', 'lapse', 'gap', '[]', 'r', '1', 'e',
         '2026-02-01Z', 30000, 0.2, 6000, 40),
        ('d1', 'dec-old', 'c1', 'mOld', 'A', 'MAINTENANCE_OVERDUE', 'lapse', 'overdue', '[]', 'r', '1', 'e',
         '2025-01-01Z', 20000, 0.1, 2000, 10)`,
    );
    await ds.query(
      `INSERT INTO tasks (dealer_id, task_id, customer_id, serial_number, branch_id, family, status, reasons,
         priority, value_at_risk, due_at) VALUES
        ('d1', 'tA', 'c1', 'mA', 'A', 'experience', 'open', '[]', 99, 25000, '2026-04-01Z'),
        ('d1', 'tB', 'c1', 'mB', 'B', 'lapse', 'open', '[]', 50, 10000, '2026-04-01Z'),
        ('d1', 'tC', 'c4', NULL, 'B', 'lapse', 'open', '[]', 10, 100, '2026-04-01Z')`,
    );
    await ds.query(
      `INSERT INTO timeline (dealer_id, event_id, type, occurred_at, customer_id, serial_number, summary) VALUES
        ('d1', 'ev-a1', 'work-order.closed', '2026-01-01Z', 'c1', 'mA', '{}'),
        ('d1', 'ev-a2', 'survey.responded', '2026-03-05Z', 'c1', 'mA', '{"nps":2}'),
        ('d1', 'ev-b1', 'work-order.closed', '2026-01-02Z', 'c1', 'mB', '{}'),
        ('d1', 'ev-c1', 'customer.upserted', '2026-01-03Z', 'c1', NULL, '{}'),
        ('d1', 'ev-old', 'work-order.closed', '2024-06-01Z', 'c1', 'mOld', '{}'),
        ('d1', 'ev-s-before', 'work-order.closed', '2025-05-01Z', 'c3', 'mS', '{}'),
        ('d1', 'ev-s-transfer', 'ownership.transferred', '2025-06-01Z', 'c2', 'mS', '{}'),
        ('d1', 'ev-s-after', 'work-order.closed', '2025-07-01Z', 'c2', 'mS', '{}')`,
    );
    await ds.query(
      `INSERT INTO telematics_readings (dealer_id, event_id, serial_number, occurred_at, operating_hours)
       VALUES ('d1', 'ev-s-tm-before', 'mS', '2025-05-15Z', 100), ('d1', 'ev-s-tm-after', 'mS', '2025-08-01Z', 200)`,
    );
    tok.a = await api.token('d1', 'A');
    tok.b = await api.token('d1', 'B');
    tok.admin = await api.token('d1');
    tok.otherDealer = await api.token('d2', 'B');
  });

  afterAll(async () => {
    await api?.close();
  });

  it("shows manager B only c1's branch-B machine, its decision and its events, and c1's real branch", async () => {
    const res = await api.get(tok.b, '/api/v1/customers/c1');
    expect(res.status).toBe(200);
    const b: Body = res.body;
    expect(b.branchId).toBe('A');
    expect(b.machines).toEqual([{ serialNumber: 'mB', model: 'EX-120', oemName: null }]);
    expect(risks(b.risk)).toEqual(['POST_WARRANTY_NO_SERVICE@mB']);
    expect(ids(b.timeline)).toEqual(['ev-b1']);
    expect((b.openTasks as { id: string }[]).map((t) => t.id)).toEqual(['tB']);
    expect(b.value).toEqual({
      clv: 40000,
      pLapse: 0.25,
      valueAtRisk: 10000,
      currency: null,
      asOf: '2026-03-01T00:00:00.000Z',
    });
    // The segment's figures span both branches (mA's hours, A's invoices): B gets the label only.
    expect(b.segmentBasis).toBeNull();
    expect(Object.keys(b)).toContain('segment');
    const text = JSON.stringify(b);
    for (const leak of ['mA', 'DETRACTOR', 'ev-a', 'PURCHASE_GAP', 'mOld', 'ev-c1'])
      expect(text).not.toContain(leak);
    // Consistent with the machine route: B does not see mA at all.
    expect((await api.get(tok.b, '/api/v1/machines/mA')).status).toBe(404);
  });

  it('shows manager A (home branch) mA, its decisions and the customer-level and history entries, not mB', async () => {
    const res = await api.get(tok.a, '/api/v1/customers/c1');
    expect(res.status).toBe(200);
    expect(res.body.branchId).toBe('A');
    expect(res.body.machines).toEqual([{ serialNumber: 'mA', model: 'EX-210', oemName: null }]);
    expect(risks(res.body.risk)).toEqual(['DETRACTOR@mA', 'MAINTENANCE_OVERDUE@mOld', 'PURCHASE_GAP@-']);
    expect(ids(res.body.timeline)).toEqual(['ev-a2', 'ev-c1', 'ev-a1', 'ev-old']);
    expect((res.body.openTasks as { id: string }[]).map((t) => t.id)).toEqual(['tA']);
    // Home branch, but mB is in B: the whole customer is not A's to see.
    expect(res.body.segmentBasis).toBeNull();
  });

  it("shows the dealer's admin everything of c1", async () => {
    const res = await api.get(tok.admin, '/api/v1/customers/c1');
    expect(res.status).toBe(200);
    expect(res.body.branchId).toBe('A');
    expect((res.body.machines as { serialNumber: string }[]).map((m) => m.serialNumber)).toEqual([
      'mA',
      'mB',
    ]);
    expect(risks(res.body.risk)).toEqual([
      'DETRACTOR@mA',
      'MAINTENANCE_OVERDUE@mOld',
      'POST_WARRANTY_NO_SERVICE@mB',
      'PURCHASE_GAP@-',
    ]);
    expect(ids(res.body.timeline)).toEqual(['ev-a2', 'ev-c1', 'ev-b1', 'ev-a1', 'ev-old']);
    expect((res.body.openTasks as { id: string }[]).map((t) => t.id)).toEqual(['tA', 'tB']);
    expect(res.body.segmentBasis).toMatchObject({ hasSpendErosion: false });
  });

  it('keeps 404 for a customer with nothing in the branch, and for another dealer', async () => {
    expect((await api.get(tok.a, '/api/v1/customers/c2')).status).toBe(404);
    expect((await api.get(tok.a, '/api/v1/customers/c4')).status).toBe(404);
    expect((await api.get(tok.otherDealer, '/api/v1/customers/c4')).status).toBe(404);
    const other = await api.get(tok.otherDealer, '/api/v1/customers/c1');
    expect(other.status).toBe(200);
    expect(other.body.machines).toEqual([{ serialNumber: 'mX', model: 'WL-50', oemName: null }]);
    expect(other.body.risk).toEqual([]);
    expect(other.body.timeline).toEqual([]);
  });

  it('reports the branch customer-level work goes to for a customer known only through tasks', async () => {
    const res = await api.get(tok.b, '/api/v1/customers/c4');
    expect(res.status).toBe(200);
    expect(res.body.branchId).toBe('B');
    expect((res.body.openTasks as { id: string }[]).map((t) => t.id)).toEqual(['tC']);
  });

  it("shows a machine's timeline from its latest ownership transfer on, never the previous owner's events", async () => {
    const res = await api.get(tok.b, '/api/v1/machines/mS');
    expect(res.status).toBe(200);
    expect(res.body.customerId).toBe('c2');
    expect(ids(res.body.timeline)).toEqual(['ev-s-tm-after', 'ev-s-after', 'ev-s-transfer']);
  });
});
