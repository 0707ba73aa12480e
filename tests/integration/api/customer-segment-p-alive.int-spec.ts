import type { CustomerState, Decision } from '@rp/risk';
import { DEFAULT_VALUE_SETTINGS, valueDecision } from '@rp/ingest';
import { startApiHarness, type ApiHarness } from './records-harness';

const DAY = 86_400_000;

/**
 * "high-value (top decile CLV, P(alive) ≥ 0.7)" reads the model's P(alive) (decisions.p_alive), never 1 − p_lapse:
 * without a BG/NBD estimate p_lapse is the configured default retention's 0.3, and a P(alive) of 0.696 rounds to
 * p_lapse 0.3 too — both read back as 0.7. Dealer d6: v1…v30 with CLVs 1 000…30 000, so v28 (27 of 30 lower:
 * 0.9), v29 and v30 are top decile. Their decisions are valued by the engine's valueDecision: v28 without a model
 * estimate, v29 at model P(alive) 0.696, v30 at 0.70 — all three with p_lapse 0.3.
 */
describe('GET /api/v1/customers/{id}: high-value needs the model’s P(alive) ≥ 0.7', () => {
  let api: ApiHarness;
  let admin: string;
  const now = Date.now();
  const at = Date.parse('2026-03-01T00:00:00Z');
  const valued = (pAlive: CustomerState['pAlive']) =>
    valueDecision(
      { detectedAtMs: at, family: 'lapse', urgency: {} } as Decision,
      {
        dealerId: 'd6',
        customerId: 'c',
        branchId: 'A',
        purchases: [{ at: at - 100 * DAY, eventId: 'p', amount: 50_000, kind: 'parts' }],
        complaints: [],
        surveys: [],
        pAlive,
        fleetHours: [],
        unattributedWorkOrders: [],
      },
      { size: 1 },
      DEFAULT_VALUE_SETTINGS,
    );
  const model = (p: number) => [{ at: at - DAY, p, repeats: 3 }];
  const values: Record<string, ReturnType<typeof valued>> = {
    v28: valued([]),
    v29: valued(model(0.696)),
    v30: valued(model(0.7)),
  };

  beforeAll(async () => {
    api = await startApiHarness();
    const { ds } = api;
    for (let i = 1; i <= 30; i++) {
      const id = `v${i}`;
      const v = values[id] ?? valued(model(0.9));
      await ds.query(
        `INSERT INTO customers (dealer_id, customer_id, branch_id, updated_at, event_id) VALUES ('d6', $1, 'A', now(), 'e')`,
        [id],
      );
      await ds.query(
        `INSERT INTO decisions (dealer_id, decision_id, customer_id, serial_number, branch_id, reason_code, family,
           message, evidence_event_ids, rule_id, rule_version, episode, detected_at, clv, p_lapse, value_at_risk,
           priority, p_alive)
         VALUES ('d6', $1, $1, NULL, 'A', 'PURCHASE_GAP', 'lapse', 'gap', '[]', 'r', '1', 'e', $2, $3, $4, 0, 1, $5)`,
        [id, new Date(at).toISOString(), i * 1000, v.pLapse, v.pAlive],
      );
      await ds.query(
        `INSERT INTO parts_sales (dealer_id, invoice_id, customer_id, branch_id, amount, currency, sold_at, event_id)
         VALUES ('d6', $1, $1, 'A', 100, 'EUR', $2, $1)`,
        [id, new Date(now - 10 * DAY).toISOString()],
      );
    }
    admin = await api.token('d6');
  });

  afterAll(async () => {
    await api?.close();
  });

  const customer = async (id: string) => {
    const res = await api.get(admin, `/api/v1/customers/${id}`);
    expect(res.status).toBe(200);
    return res.body as { segment: string | null; segmentBasis: Record<string, unknown> };
  };

  it('values all three at p_lapse 0.3: 1 − p_lapse would read 0.7 for each', () => {
    expect(Object.values(values).map((v) => [v.pLapse, v.pAlive])).toEqual([
      [0.3, null],
      [0.3, 0.696],
      [0.3, 0.7],
    ]);
  });

  it('a top-decile customer without a model estimate is not high-value: P(alive) is missing', async () => {
    const b = await customer('v28');
    expect(b.segment).toBeNull();
    expect(b.segmentBasis).toEqual({
      clvPercentile: 0.9,
      pAlive: null,
      captureRate: null,
      fleetHoursLast30d: 0,
      hasSpendErosion: false,
      hasAliveDrop: false,
      daysSinceLastPurchase: 10,
      missing: {
        pAlive:
          'the latest decision has no BG/NBD estimate of P(alive) (no model for the dealer yet, or no repeat purchase)',
        captureRate: 'no revenue-per-hour benchmark is configured for the dealer (DEALER_ECONOMICS)',
      },
    });
  });

  it('a top-decile customer at model P(alive) 0.696 is not high-value', async () => {
    const b = await customer('v29');
    expect(b.segment).toBeNull();
    expect(b.segmentBasis).toMatchObject({ clvPercentile: 28 / 30, pAlive: 0.696 });
    expect(b.segmentBasis.missing).not.toHaveProperty('pAlive');
  });

  it('a top-decile customer at model P(alive) 0.70 is high-value', async () => {
    const b = await customer('v30');
    expect(b.segment).toBe('high-value');
    expect(b.segmentBasis).toMatchObject({ clvPercentile: 29 / 30, pAlive: 0.7 });
  });
});
