import { createDataSource } from '@rp/database';
import { AliveModels, aliveHistory, applyEvents, loadRiskState, modelCutoff } from '@rp/ingest';
import { ev, ingestEvents, testConfig, useMigratedSchema, type Ev } from '../../support';

// P(alive) is estimated on the customer's whole purchase history (BG/NBD's x, t_x, T), however much of it
// the rules load: the 36-month window a sweep loads starts elsewhere live than in a replay, and must not
// change the estimate (same events in, same decisions out).

const DAY = 86_400_000;
const at = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);
const sale = (id: string, when: number) =>
  ev(id, 'parts.sold', new Date(when + 9 * 3_600_000).toISOString(), {
    invoiceId: id,
    customerId: 'c-9',
    branchId: 'b-1',
    amount: 120,
    currency: 'EUR',
  });

// Bought every 45 days through 2019–2022, then once in 2025; the newest event is a snapshot in 2026.
const history: Ev[] = [];
for (let t = at('2019-01-07'), i = 0; t < at('2023-01-01'); t += 45 * DAY, i++)
  history.push(sale(`ps-${i}`, t));
const life: Ev[] = [
  ev('cu-9', 'customer.upserted', '2019-01-01T08:00:00Z', {
    customerId: 'c-9',
    name: 'Ada',
    branchId: 'b-1',
  }),
  ...history,
  sale('ps-2025', at('2025-05-01')),
  ev('w-9', 'warranty.registered', '2025-06-01T08:00:00Z', {
    serialNumber: 'PC200-90009',
    customerId: 'c-9',
    branchId: 'b-1',
    model: 'PC200-8',
    startsAt: '2025-06-01',
    endsAt: '2026-06-01',
  }),
  ev('t-9', 'telematics.snapshot', '2026-05-30T06:00:00Z', {
    serialNumber: 'PC200-90009',
    cumulativeOperatingHours: 900,
  }),
];

describe('P(alive) on the whole purchase history (real Postgres)', () => {
  const config = testConfig();
  const ds = createDataSource({ ...config.database, poolSize: 2 });
  const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  const asOf = at('2026-06-01');

  useMigratedSchema(ds, config.database.schema);
  beforeAll(async () => {
    await applyEvents(ds, ingestEvents(life));
    // A stored model for every month: nothing is fitted, every estimate uses `params`.
    const cutoffs = new Set<number>();
    for (let t = at('2019-01-01'); t <= asOf; t += DAY) cutoffs.add(modelCutoff(t));
    for (const cutoff of cutoffs) {
      await ds.query(
        `INSERT INTO value_models (dealer_id, fitted_as_of, version, params, customers) VALUES ('d1', $1, 'v1', $2, 10)`,
        [new Date(cutoff).toISOString(), JSON.stringify(params)],
      );
    }
  });

  it('gives the same estimates from the 36-month window as from the whole history', async () => {
    const windowed = (await loadRiskState(ds, 'd1', ['c-9'])).get('c-9')!;
    const whole = (await loadRiskState(ds, 'd1', ['c-9'], { sinceMs: 0 })).get('c-9')!;
    // The window (from 2023-05-30) holds the 2025 sale only; the 33 earlier purchase days come apart.
    expect(windowed.customer.purchases.map((p) => p.eventId)).toEqual(['ps-2025']);
    expect(windowed.earlierPurchaseDays).toHaveLength(history.length);
    expect(windowed.earlierPurchaseDays[0]).toBe(at('2019-01-07') + 9 * 3_600_000);
    expect(whole.customer.purchases).toHaveLength(history.length + 1);
    expect(whole.earlierPurchaseDays).toEqual([]);
    // The latest purchase before the window: ACTIVE_BUT_SILENT counts the silence from it (not "no purchase").
    expect(windowed.customer.purchaseBeforeHistory?.eventId).toBe('ps-32');
    expect(whole.customer.purchaseBeforeHistory).toBeUndefined();

    const models = new AliveModels(ds, 'd1');
    const fromWindow = await models.customerAt(windowed.customer, 'c-9', asOf, windowed.earlierPurchaseDays);
    const fromWhole = await models.customerAt(whole.customer, 'c-9', asOf);
    const expected = aliveHistory(() => params, 'c-9', whole.customer.purchases, asOf);
    expect(fromWindow.pAlive).toEqual(expected);
    expect(fromWhole.pAlive).toEqual(expected);
    // 33 repeat purchases, the last 13 months ago: the model thinks this customer has likely left.
    expect(expected.at(-1)).toMatchObject({ at: asOf, repeats: history.length });
    expect(expected.at(-1)!.p).toBeLessThan(0.5);

    // Without the earlier days (the window alone), the same customer looks like a one-off buyer: P = 1.
    const windowOnly = await new AliveModels(ds, 'd1').customerAt(windowed.customer, 'c-9', asOf);
    expect(windowOnly.pAlive.at(-1)).toMatchObject({ p: 1, repeats: 0 });
  });
});
