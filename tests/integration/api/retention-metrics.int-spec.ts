import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RULE_SET } from '@rp/risk';
import { DEFAULT_MARGIN_RATES } from '@rp/value';
import { startApiHarness, type ApiHarness } from './records-harness';

/**
 * A hand-built dealer d4 (branches A and B) and a noisy dealer d5, period 2025-01-01 … 2025-06-30
 * (181 days; prior period 2024-07-04 … 2024-12-31). Every 12-month window has closed by now (2026-11).
 *
 * Post-warranty retention, branch A: a1 ended 02-01, labour visit 05-01 (retained); a2 ended 03-01, no
 * visit (lapsed); a3 ended 04-01, sold 06-01 (excluded); a4 covered by an extended contract until 2026
 * (not ended in the period); a5 ended 05-01, a parts-only order (no labour: lapsed); a6 ended 04-15,
 * relocated 05-01 (excluded). Branch B: b1 ended 02-10, visit 03-01 (retained).
 * Revenue: A — c1 800 now (a1's order, gross profit 400) / 1 000 prior; c2 0 / 500; c5 200 (no gross
 * profit: 200 of parts at the value model's 25 % = 50) / 0. B — c6 400 (gross profit 250) / 400. Hours:
 * a1 1 300 − 900 = 400; b1 250 − 50 = 200. NPS: A — 10 and 3; B — 9.
 * Dealer d7 (absorption only): a DMS that sends grossProfit on some lines only; the active rule set
 * (RISK_RULESET_FILE) sets d7's margin rates, the other dealers keep the defaults.
 */
const D7_RATES = { parts: 0.4, labour: 0.5 };

describe('GET /api/v1/metrics/retention', () => {
  let api: ApiHarness;
  const tok: Record<string, string> = {};
  const PERIOD = '?from=2025-01-01&to=2025-06-30';

  beforeAll(async () => {
    // d4's economics: 2 of revenue expected per hour run, fixed expenses 5 a day (181 days: 905).
    const ruleSetFile = join(tmpdir(), `rule-set-metrics-${process.pid}.json`);
    writeFileSync(
      ruleSetFile,
      JSON.stringify({ ...DEFAULT_RULE_SET, perDealer: { d7: { value: { marginRates: D7_RATES } } } }),
    );
    api = await startApiHarness({
      RISK_RULESET_FILE: ruleSetFile,
      DEALER_ECONOMICS: JSON.stringify({
        d4: { revenuePerHour: 2, fixedExpensesPerDay: 5 },
        d7: { fixedExpensesPerDay: 10 },
        '*': { revenuePerHour: 999 },
      }),
    });
    const { ds } = api;
    await ds.query(
      `INSERT INTO customers (dealer_id, customer_id, branch_id, updated_at, event_id) VALUES
        ('d4', 'c1', 'A', now(), 'e'), ('d4', 'c2', 'A', now(), 'e'), ('d4', 'c5', 'A', now(), 'e'),
        ('d4', 'c6', 'B', now(), 'e'), ('d4', 'c7', 'A', now(), 'e'), ('d5', 'x', 'A', now(), 'e')`,
    );
    await ds.query(
      `INSERT INTO machines (dealer_id, serial_number, customer_id, branch_id, sold_at) VALUES
        ('d4', 'a1', 'c1', 'A', NULL), ('d4', 'a2', 'c2', 'A', NULL), ('d4', 'a3', 'c7', 'A', '2025-06-01Z'),
        ('d4', 'a4', 'c1', 'A', NULL), ('d4', 'a5', 'c5', 'A', NULL), ('d4', 'a6', 'c2', 'A', NULL),
        ('d4', 'b1', 'c6', 'B', NULL), ('d5', 'x1', 'x', 'A', NULL)`,
    );
    await ds.query(
      `INSERT INTO warranties (dealer_id, serial_number, contract_id, coverage, starts_at, ends_at, expired_at,
         updated_at, event_id) VALUES
        ('d4', 'a1', 'standard', 'standard', '2023-02-01Z', '2025-02-01Z', NULL, now(), 'e'),
        ('d4', 'a2', 'standard', 'standard', '2023-03-01Z', '2025-03-01Z', '2025-03-01Z', now(), 'e'),
        ('d4', 'a3', 'standard', 'standard', '2023-04-01Z', '2025-04-01Z', NULL, now(), 'e'),
        ('d4', 'a4', 'standard', 'standard', '2023-03-15Z', '2025-03-15Z', NULL, now(), 'e'),
        ('d4', 'a4', 'ext-1', 'extended-warranty', '2025-03-15Z', '2026-03-15Z', NULL, now(), 'e'),
        ('d4', 'a5', 'standard', 'standard', '2023-05-01Z', '2025-08-01Z', '2025-05-01Z', now(), 'e'),
        ('d4', 'a6', 'standard', 'standard', '2023-04-15Z', '2025-04-15Z', NULL, now(), 'e'),
        ('d4', 'b1', 'standard', 'standard', '2023-02-10Z', '2025-02-10Z', NULL, now(), 'e'),
        ('d5', 'x1', 'standard', 'standard', '2023-02-01Z', '2025-02-01Z', NULL, now(), 'e')`,
    );
    await ds.query(
      `INSERT INTO ownership_history (dealer_id, event_id, serial_number, from_customer_id, to_customer_id, branch_id,
         transferred_at) VALUES ('d4', 'tr-a3', 'a3', 'c3', 'c7', 'A', '2025-06-01Z')`,
    );
    await ds.query(
      `INSERT INTO suppressions (dealer_id, suppression_id, customer_id, serial_number, reason_code, message,
         evidence_event_ids, rule_id, rule_version, episode, since, detected_at)
       VALUES ('d4', 'sup-a6', 'c2', 'a6', 'MACHINE_RELOCATED', 'away', '[]', 'r', '1', 'e', '2025-05-01Z', '2025-06-01Z')`,
    );
    await ds.query(
      `INSERT INTO work_orders (dealer_id, work_order_id, customer_id, branch_id, serial_number, kind, opened_at,
         closed_at, labor_amount, parts_amount, currency, gross_profit, updated_at) VALUES
        ('d4', 'wo-a1', 'c1', 'A', 'a1', 'maintenance', '2025-05-01Z', '2025-05-02Z', 500, 300, 'EUR', 400, now()),
        ('d4', 'wo-a5', 'c5', 'A', 'a5', 'repair', '2025-06-01Z', '2025-06-02Z', 0, 200, 'EUR', NULL, now()),
        ('d4', 'wo-b1', 'c6', 'B', 'b1', 'maintenance', '2025-03-01Z', '2025-03-02Z', 300, 100, 'EUR', 250, now()),
        ('d5', 'wo-x1', 'x', 'A', 'x1', 'maintenance', '2025-03-01Z', '2025-03-02Z', 9000, 9000, 'EUR', 9000, now())`,
    );
    await ds.query(
      `INSERT INTO parts_sales (dealer_id, invoice_id, customer_id, branch_id, amount, currency, gross_profit, sold_at,
         event_id) VALUES
        ('d4', 'p-c1', 'c1', 'A', 1000, 'EUR', 250, '2024-10-01Z', 'e1'),
        ('d4', 'p-c2', 'c2', 'A', 500, 'EUR', 100, '2024-08-01Z', 'e2'),
        ('d4', 'p-c6', 'c6', 'B', 400, 'EUR', 100, '2024-09-01Z', 'e3'),
        ('d4', 'p-late', 'c1', 'A', 7777, 'EUR', 7777, '2025-07-01Z', 'e4'),
        ('d4', 'p-early', 'c1', 'A', 3333, 'EUR', 3333, '2024-07-03Z', 'e5'),
        ('d5', 'p-x', 'x', 'A', 99999, 'EUR', 99999, '2025-03-01Z', 'e6'),
        ('d5', 'p-x0', 'x', 'A', 5, 'EUR', 5, '2024-09-01Z', 'e7')`,
    );
    await ds.query(
      `INSERT INTO telematics_readings (dealer_id, event_id, serial_number, occurred_at, operating_hours) VALUES
        ('d4', 'r1', 'a1', '2024-12-01Z', 900), ('d4', 'r2', 'a1', '2025-02-01Z', 1000),
        ('d4', 'r3', 'a1', '2025-06-01Z', 1300), ('d4', 'r4', 'a1', '2025-08-01Z', 1500),
        ('d4', 'r5', 'b1', '2025-01-15Z', 50), ('d4', 'r6', 'b1', '2025-06-15Z', 250),
        ('d5', 'r7', 'x1', '2025-01-15Z', 10), ('d5', 'r8', 'x1', '2025-06-15Z', 5000)`,
    );
    await ds.query(
      `INSERT INTO surveys (dealer_id, survey_id, customer_id, serial_number, work_order_id, nps, responded_at,
         event_id) VALUES
        ('d4', 's1', 'c1', NULL, 'wo-a1', 10, '2025-05-10Z', 'e'),
        ('d4', 's2', 'c2', 'a2', NULL, 3, '2025-03-10Z', 'e'),
        ('d4', 's3', 'c6', NULL, NULL, 9, '2025-04-01Z', 'e'),
        ('d4', 's4', 'c1', NULL, NULL, 8, '2025-08-01Z', 'e'),
        ('d5', 's5', 'x', NULL, NULL, 0, '2025-03-01Z', 'e')`,
    );
    // d7, in the period: two lines with a gross profit (300 + 80), three without one — a parts sale of 400,
    // a work order of labour 500 + parts 200, and one of labour 100 with no parts amount.
    await ds.query(
      `INSERT INTO parts_sales (dealer_id, invoice_id, customer_id, branch_id, amount, currency, gross_profit, sold_at,
         event_id) VALUES
        ('d7', 'p-gp', 'k1', 'A', 1000, 'EUR', 300, '2025-02-01Z', 'e1'),
        ('d7', 'p-nogp', 'k1', 'A', 400, 'EUR', NULL, '2025-03-01Z', 'e2'),
        ('d7', 'p-before', 'k1', 'A', 9000, 'EUR', NULL, '2024-12-31Z', 'e3')`,
    );
    await ds.query(
      `INSERT INTO work_orders (dealer_id, work_order_id, customer_id, branch_id, serial_number, kind, opened_at,
         closed_at, labor_amount, parts_amount, currency, gross_profit, updated_at) VALUES
        ('d7', 'wo-gp', 'k1', 'A', 'k-1', 'repair', '2025-04-01Z', '2025-04-02Z', 100, 100, 'EUR', 80, now()),
        ('d7', 'wo-nogp', 'k1', 'A', 'k-1', 'repair', '2025-05-01Z', '2025-05-02Z', 500, 200, 'EUR', NULL, now()),
        ('d7', 'wo-labour', 'k1', 'A', 'k-1', 'repair', '2025-06-01Z', '2025-06-02Z', 100, NULL, 'EUR', NULL, now())`,
    );
    tok.d7 = await api.token('d7');
    tok.a = await api.token('d4', 'A');
    tok.b = await api.token('d4', 'B');
    tok.admin = await api.token('d4');
  });

  afterAll(async () => {
    await api?.close();
  });

  const metrics = async (token: string, query = PERIOD) => {
    const res = await api.get(token, `/api/v1/metrics/retention${query}`);
    expect(res.status).toBe(200);
    return res.body as Record<string, Record<string, unknown>>;
  };
  const values = (m: Record<string, Record<string, unknown>>) =>
    Object.fromEntries(
      [
        'postWarrantyRetention',
        'captureRate',
        'absorptionRate',
        'netRevenueRetention',
        'earnedGrowthRate',
        'nps',
      ].map((k) => [k, [m[k].value, m[k].numerator, m[k].denominator]]),
    );

  it("gives the dealer's admin the whole dealer's figures, another dealer's data left out", async () => {
    const m = await metrics(tok.admin);
    expect(m.period).toEqual({ from: '2025-01-01', to: '2025-06-30' });
    expect(m.priorPeriod).toEqual({ from: '2024-07-04', to: '2024-12-31' });
    expect(m.branchId).toBeNull();
    expect(m.currencies).toEqual(['EUR']);
    expect(values(m)).toEqual({
      postWarrantyRetention: [0.5, 2, 4],
      captureRate: [1.166667, 1400, 1200],
      absorptionRate: [0.773481, 700, 905],
      netRevenueRetention: [0.631579, 1200, 1900],
      earnedGrowthRate: [null, null, null],
      nps: [33.333333, 1, 3],
    });
    expect(m.postWarrantyRetention).toMatchObject({ excluded: 2, pending: 0, missing: null });
    expect(m.captureRate).toMatchObject({ hoursRun: 600, missing: null });
    expect(m.absorptionRate).toMatchObject({
      linesWithoutGrossProfit: 1,
      linesEstimated: 1,
      estimatedGrossProfit: 50,
      missing: null,
    });
    expect(m.nps).toMatchObject({ promoters: 2, passives: 0, detractors: 1 });
  });

  it("gives a manager their branch's figures only", async () => {
    const a = await metrics(tok.a);
    expect(a.branchId).toBe('A');
    expect(values(a)).toEqual({
      postWarrantyRetention: [0.333333, 1, 3],
      captureRate: [1.25, 1000, 800],
      absorptionRate: [0.497238, 450, 905],
      netRevenueRetention: [0.533333, 800, 1500],
      earnedGrowthRate: [null, null, null],
      nps: [0, 0, 2],
    });
    expect(a.postWarrantyRetention).toMatchObject({ excluded: 2 });
    expect(a.captureRate).toMatchObject({ hoursRun: 400 });

    const b = await metrics(tok.b);
    expect(values(b)).toEqual({
      postWarrantyRetention: [1, 1, 1],
      captureRate: [1, 400, 400],
      absorptionRate: [0.276243, 250, 905],
      netRevenueRetention: [1, 400, 400],
      earnedGrowthRate: [null, null, null],
      nps: [100, 1, 1],
    });
    expect(b.captureRate).toMatchObject({ hoursRun: 200 });
    // An admin may look at one branch: the same figures as its manager.
    expect(values(await metrics(tok.admin, `${PERIOD}&branch=B`))).toEqual(values(b));
  });

  it("estimates a line without a gross profit at the dealer's margin rates of the active rule set, never at 0", async () => {
    // d4 (c5's 200 of parts at 25 % above) keeps the defaults; d7's come from the rule set.
    expect(DEFAULT_MARGIN_RATES).toEqual({ parts: 0.25, labour: 0.6 });
    const rates = D7_RATES;
    const estimated = 400 * rates.parts + (500 * rates.labour + 200 * rates.parts) + 100 * rates.labour; // 540
    const grossProfit = 300 + 80 + estimated; // 920
    const fixedExpenses = 10 * 181;
    const m = await metrics(tok.d7);
    expect(m.absorptionRate).toEqual({
      value: Math.round((grossProfit / fixedExpenses) * 1e6) / 1e6, // 0.508287
      numerator: grossProfit,
      denominator: fixedExpenses,
      formula:
        '(parts + service gross profit; a line without one at the configured margin rates) ÷ fixed operating expenses',
      missing: null,
      linesWithoutGrossProfit: 3,
      linesEstimated: 3,
      estimatedGrossProfit: estimated,
    });
    expect(m.absorptionRate.value).toBe(0.508287);
  });

  it('defaults to the last 12 months ending today', async () => {
    const m = await metrics(tok.admin, '');
    const { from, to } = m.period as unknown as { from: string; to: string };
    expect(to).toBe(new Date().toISOString().slice(0, 10));
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
    expect([365, 366]).toContain(days);
    // Nothing of d4 falls in the last 12 months.
    expect(m.postWarrantyRetention).toMatchObject({ value: null, numerator: 0, denominator: 0 });
    expect(m.netRevenueRetention).toMatchObject({ numerator: 0 });
    expect(m.nps).toMatchObject({ value: null, denominator: 0 });
  });

  it('refuses bad input with a 400 naming the parameter, and another branch with a 403', async () => {
    const cases: [string, string][] = [
      ['?from=2025-13-01', 'query.from'],
      ['?to=2025-02-30', 'query.to'],
      ['?from=yesterday', 'query.from'],
      ['?from=2025-07-01&to=2025-06-30', 'query.from'],
      ['?since=2025-01-01', 'since'],
      ['?branch=', 'query.branch'],
      ['?branch=A%00', 'query.branch'],
    ];
    for (const [query, field] of cases) {
      const res = await api.get(tok.admin, `/api/v1/metrics/retention${query}`);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      const err = res.body.error as { code: string; message: string };
      expect(err.code).toBe('VALIDATION_FAILED');
      expect(err.message).toContain(field);
    }
    const other = await api.get(tok.a, `/api/v1/metrics/retention${PERIOD}&branch=B`);
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({
      code: 'FORBIDDEN',
      message: 'query.branch: a manager sees only their own branch (A)',
    });
  });

  it('is in the OpenAPI document', async () => {
    const res = await api.get(tok.admin, '/api/docs-json');
    const paths = res.body.paths as Record<string, { get: { parameters: { name: string }[] } }>;
    expect(paths['/api/v1/metrics/retention'].get.parameters.map((p) => p.name)).toEqual([
      'from',
      'to',
      'branch',
    ]);
  });
});
