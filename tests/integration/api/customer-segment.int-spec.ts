import { startApiHarness, type ApiHarness } from './records-harness';

const DAY = 86_400_000;

/**
 * Segments of hand-built customers of dealer d3. CLVs of the latest decisions: s1…s10 = 1 000…10 000, so
 * s10 alone is top decile (9 of 10 customers strictly lower = 0.9) and s9 is not (0.8).
 */
describe('GET /api/v1/customers/{id}: segment', () => {
  let api: ApiHarness;
  let admin: string;
  const now = Date.now();
  const ago = (days: number) => new Date(now - days * DAY).toISOString();

  beforeAll(async () => {
    // Expected revenue: 2 per engine hour (DEALER_ECONOMICS) — capture rate = revenue ÷ (hours × 2).
    api = await startApiHarness({ DEALER_ECONOMICS: JSON.stringify({ d3: { revenuePerHour: 2 } }) });
    const { ds } = api;
    // pAlive: the model's P(alive) (decisions.p_alive), null without an estimate.
    const decision = (
      customer: string,
      id: string,
      clv: number,
      pLapse: number,
      at: string,
      pAlive: number | null = 1 - pLapse,
    ) =>
      ds.query(
        `INSERT INTO decisions (dealer_id, decision_id, customer_id, serial_number, branch_id, reason_code, family,
           message, evidence_event_ids, rule_id, rule_version, episode, detected_at, clv, p_lapse, value_at_risk,
           priority, p_alive)
         VALUES ('d3', $1, $2, NULL, 'A', 'PURCHASE_GAP', 'lapse', 'gap', '[]', 'r', '1', $1, $3, $4, $5, 0, 1, $6)`,
        [id, customer, at, clv, pLapse, pAlive],
      );
    for (let i = 1; i <= 10; i++) {
      await ds.query(
        `INSERT INTO customers (dealer_id, customer_id, branch_id, updated_at, event_id) VALUES ('d3', $1, 'A', now(), 'e')`,
        [`s${i}`],
      );
      await decision(`s${i}`, `dec-s${i}`, i * 1000, 0.2, '2026-03-01Z');
      // Everyone bought 10 days ago, except s7 (400 days ago).
      await ds.query(
        `INSERT INTO parts_sales (dealer_id, invoice_id, customer_id, branch_id, amount, currency, sold_at, event_id)
         VALUES ('d3', $1, $2, 'A', 100, 'EUR', $3, $1)`,
        [`inv-s${i}`, `s${i}`, ago(i === 7 ? 400 : 10)],
      );
    }
    // Only the latest decision counts: s10's older low CLV and s9's older huge CLV change nothing.
    await decision('s10', 'dec-s10-old', 50, 0.9, '2025-01-01Z');
    await decision('s9', 'dec-s9-old', 999_999, 0.1, '2025-01-01Z');
    // Another dealer's CLVs are not part of d3's distribution.
    await ds.query(
      `INSERT INTO decisions (dealer_id, decision_id, customer_id, branch_id, reason_code, family, message,
         evidence_event_ids, rule_id, rule_version, episode, detected_at, clv, p_lapse, value_at_risk, priority)
       SELECT 'd9', 'x' || g, 'x' || g, 'A', 'PURCHASE_GAP', 'lapse', 'gap', '[]', 'r', '1', 'e', '2026-03-01Z',
              1000000, 0.1, 0, 1 FROM generate_series(1, 5) g`,
    );
    // s8: an open task carrying SPEND_EROSION; s6: a done one (not migrating).
    await ds.query(
      `INSERT INTO tasks (dealer_id, task_id, customer_id, serial_number, branch_id, family, status, reasons,
         priority, value_at_risk, due_at) VALUES
        ('d3', 't8', 's8', NULL, 'A', 'lapse', 'open', '[{"code":"PURCHASE_GAP"},{"code":"SPEND_EROSION"}]', 1, 1, now()),
        ('d3', 't6', 's6', NULL, 'A', 'lapse', 'done', '[{"code":"SPEND_EROSION"}]', 1, 1, now())`,
    );
    // s10's machine: 1 000 h before the 30-day window, 1 160 h at its end → 160 h.
    await ds.query(
      `INSERT INTO machines (dealer_id, serial_number, customer_id, branch_id, owner_since) VALUES
        ('d3', 'm10', 's10', 'A', '2024-01-01Z'), ('d3', 'mNew', 'sNew', 'A', $1),
        ('d3', 'mP', 'sP', 'A', '2024-01-01Z')`,
      [ago(30)],
    );
    // sP (no decision): a busy fleet (200 h in 30 days) that bought 50 of parts here: capture 50 / 400.
    await ds.query(
      `INSERT INTO parts_sales (dealer_id, invoice_id, customer_id, branch_id, amount, currency, sold_at, event_id)
       VALUES ('d3', 'inv-sP', 'sP', 'A', 50, 'EUR', $1, 'inv-sP')`,
      [ago(10)],
    );
    await ds.query(
      `INSERT INTO telematics_readings (dealer_id, event_id, serial_number, occurred_at, operating_hours) VALUES
        ('d3', 'rP1', 'mP', $1, 500), ('d3', 'rP2', 'mP', $2, 700)`,
      [ago(29), ago(1)],
    );
    await ds.query(
      `INSERT INTO telematics_readings (dealer_id, event_id, serial_number, occurred_at, operating_hours) VALUES
        ('d3', 'r1', 'm10', $1, 1000), ('d3', 'r2', 'm10', $2, 1100), ('d3', 'r3', 'm10', $3, 1160)`,
      [ago(40), ago(20), ago(1)],
    );
    admin = await api.token('d3');
  });

  afterAll(async () => {
    await api?.close();
  });

  const segmentOf = async (id: string) => {
    const res = await api.get(admin, `/api/v1/customers/${id}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('high-value: top-decile CLV of the latest decisions and P(alive) ≥ 0.7', async () => {
    const b = await segmentOf('s10');
    expect(b.segment).toBe('high-value');
    expect(b.segmentBasis).toEqual({
      clvPercentile: 0.9,
      pAlive: 0.8,
      // 100 of parts in the year against 160 h × 2: low capture and a busy fleet, but high-value comes first.
      captureRate: 0.3125,
      fleetHoursLast30d: 160,
      hasSpendErosion: false,
      hasAliveDrop: false,
      daysSinceLastPurchase: 10,
      missing: {},
    });
  });

  it('potential: low capture (below 0.5) of a busy fleet (≥ 150 h in 30 days)', async () => {
    const b = await segmentOf('sP');
    expect(b.segment).toBe('potential');
    expect(b.segmentBasis).toMatchObject({ captureRate: 0.125, fleetHoursLast30d: 200, clvPercentile: null });
  });

  it('none below the top decile', async () => {
    const b = await segmentOf('s9');
    expect(b.segment).toBeNull();
    expect(b.segmentBasis).toMatchObject({ clvPercentile: 0.8, pAlive: 0.8 });
  });

  it('migrating: an active SPEND_EROSION task; a done one does not count', async () => {
    expect((await segmentOf('s8')).segment).toBe('migrating');
    expect((await segmentOf('s6')).segment).toBeNull();
  });

  it('frozen: no purchase for 365 days', async () => {
    const b = await segmentOf('s7');
    expect(b.segment).toBe('frozen');
    expect(b.segmentBasis).toMatchObject({ daysSinceLastPurchase: 400 });
  });

  it('a customer with no decision and no purchase: unknowns put it in no segment', async () => {
    const b = await segmentOf('sNew');
    expect(b.segment).toBeNull();
    expect(b.segmentBasis).toEqual({
      clvPercentile: null,
      pAlive: null,
      captureRate: null,
      fleetHoursLast30d: 0,
      hasSpendErosion: false,
      hasAliveDrop: false,
      daysSinceLastPurchase: 30,
      missing: {
        clvPercentile: 'no decision yet carries a CLV for this customer',
        pAlive: 'no decision yet carries a P(alive) for this customer',
        captureRate: 'its machines ran no recorded hours in the last 365 days',
      },
    });
  });
});
