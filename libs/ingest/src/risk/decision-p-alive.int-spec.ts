import { createDataSource } from '@rp/database';
import { DEFAULT_RULE_SET, parseRuleSet, type CustomerState } from '@rp/risk';
import { testConfig, useMigratedSchema } from '../../../../tests/support';
import { aliveHistory, modelCutoff } from './alive-model';
import { DEFAULT_VALUE_SETTINGS } from './decision-value';
import type { LoadState } from './fire-timers';
import { sweepDue, type RiskStepOptions } from './risk-step';

/**
 * A decision records and publishes the model's P(alive) (decisions.p_alive, the outbox payload's pAlive),
 * unrounded, and null without an estimate — the "high-value" segment reads it, never 1 − p_lapse.
 * c1 bought once (no repeat purchase: no estimate); c2 bought every 30 days for two years (a model for every
 * month is stored, so nothing is fitted). Both answered a survey with NPS 2 (DETRACTOR) on 2026-05-01.
 */
describe('decisions carry the BG/NBD P(alive) (risk sweep on Postgres)', () => {
  const DAY = 86_400_000;
  const SURVEY = Date.parse('2026-05-01T08:00:00Z');
  const config = testConfig();
  const ds = createDataSource({ ...config.database, poolSize: 2 });
  const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  const purchases = (customerId: string, days: number[]) =>
    days.map((d, i) => ({
      at: SURVEY - d * DAY,
      eventId: `${customerId}-p${i}`,
      amount: 100,
      kind: 'parts' as const,
    }));
  const customers: Record<string, CustomerState> = Object.fromEntries(
    (
      [
        ['c1', purchases('c1', [200])],
        [
          'c2',
          purchases(
            'c2',
            Array.from({ length: 24 }, (_, i) => 40 + 30 * i),
          ),
        ],
      ] as const
    ).map(([customerId, bought]) => [
      customerId,
      {
        dealerId: 'd1',
        customerId,
        branchId: 'b1',
        purchases: bought,
        complaints: [],
        surveys: [{ at: SURVEY, eventId: `${customerId}-s`, id: `${customerId}-s`, nps: 2 }],
        pAlive: [],
        fleetHours: [],
        unattributedWorkOrders: [],
      },
    ]),
  );
  const loadState: LoadState = (_db, _dealer, ids) =>
    Promise.resolve(new Map(ids.map((id) => [id, { customer: customers[id], machines: [] }])));
  const step: RiskStepOptions = {
    engine: { ruleSet: DEFAULT_RULE_SET, value: DEFAULT_VALUE_SETTINGS, loadState },
    topics: ['t'],
    allowedLatenessMs: 0,
  };

  useMigratedSchema(ds, config.database.schema);

  it('records and publishes the model’s P(alive), null without an estimate', async () => {
    const cutoffs = new Set<number>();
    for (let t = SURVEY - 800 * DAY; t <= SURVEY + 2 * DAY; t += DAY) cutoffs.add(modelCutoff(t));
    for (const cutoff of cutoffs) {
      await ds.query(
        `INSERT INTO value_models (dealer_id, fitted_as_of, version, params, customers) VALUES ('d1', $1, 'v1', $2, 30)`,
        [new Date(cutoff).toISOString(), JSON.stringify(params)],
      );
    }
    await ds.query(
      `INSERT INTO risk_timers (dealer_id, customer_id, due_at) VALUES ('d1', 'c1', $1), ('d1', 'c2', $1)`,
      [new Date(SURVEY + DAY).toISOString()],
    );
    await sweepDue(ds, step, SURVEY + DAY);

    const rows = await ds.query<
      {
        customer_id: string;
        detected_at: Date;
        p_lapse: string;
        p_alive: string | null;
        payload: { pAlive: unknown };
      }[]
    >(
      `SELECT d.customer_id, d.detected_at, d.p_lapse, d.p_alive, o.payload FROM decisions d
         JOIN outbox o ON o.dealer_id = d.dealer_id AND o.dedup_key = d.decision_id
        WHERE d.reason_code = 'DETRACTOR' ORDER BY d.customer_id`,
    );
    expect(rows.map((r) => r.customer_id)).toEqual(['c1', 'c2']);
    const [c1, c2] = rows;
    // c1: no repeat purchase, so no estimate: p_lapse is the default retention's 0.3, P(alive) unknown.
    expect([Number(c1.p_lapse), c1.p_alive, c1.payload.pAlive]).toEqual([0.3, null, null]);
    // c2: the estimate of the latest week up to the detection, with its full precision.
    const detected = c2.detected_at.getTime();
    const expected = aliveHistory(() => params, 'c2', customers.c2.purchases, detected)
      .filter((e) => e.at <= detected)
      .pop()!.p;
    expect(expected).toBeGreaterThan(0);
    expect(Number(c2.p_alive)).toBe(expected);
    expect(c2.payload.pAlive).toBe(expected);
    expect(Number(c2.p_lapse)).toBe(Math.round((1 - expected) * 100) / 100);
  });

  it("values decisions with the rule set's value settings for the dealer (margin rates, retention, discount, weights)", async () => {
    const ruleSet = parseRuleSet({
      ...DEFAULT_RULE_SET,
      version: 'value-settings',
      value: { marginRates: { parts: 0.5 }, discountRate: 0.2 },
      perDealer: { d1: { value: { defaultRetention: 0.6, reasonWeights: { experience: 3 } } } },
    });
    await ds.query(`INSERT INTO risk_timers (dealer_id, customer_id, due_at) VALUES ('d1', 'c1', $1)`, [
      new Date(SURVEY + DAY).toISOString(),
    ]);
    await sweepDue(ds, { ...step, engine: { ...step.engine, ruleSet } }, SURVEY + DAY);
    const [row] = await ds.query<Record<string, string>[]>(
      `SELECT clv, p_lapse, value_at_risk, priority FROM decisions
        WHERE customer_id = 'c1' AND reason_code = 'DETRACTOR' AND rule_version = 'value-settings'`,
    );
    // c1 bought parts for 100 within 12 months: m = 100 · 0.5 = 50 (defaults: 25); no estimate, so r = 0.6 (0.7);
    // CLV = 50 · 0.6 / (1 + 0.2 − 0.6) = 50; VaR = 0.4 · 50 = 20; priority = 20 × 3 (DETRACTOR: experience).
    expect(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)]))).toEqual({
      clv: 50,
      p_lapse: 0.4,
      value_at_risk: 20,
      priority: 60,
    });
  });
});
