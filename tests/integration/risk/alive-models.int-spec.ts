import { createDataSource } from '@rp/database';
import { AliveModels, aliveHistory, modelCutoff } from '@rp/ingest';
import { testConfig, useMigratedSchema } from '../../support';

/**
 * A customer's state as the rules see it at an instant carries its weekly P(alive) estimates up to then
 * (models read from value_models). Within a week the estimates cannot change, so every instant of the week
 * gets the same view; a new week adds its estimate.
 */
describe('AliveModels.customerAt (real Postgres)', () => {
  const config = testConfig();
  const ds = createDataSource({ ...config.database, poolSize: 2 });
  const DAY = 86_400_000;
  const WEEK = 7 * DAY;
  const params = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
  const monday = Date.UTC(2026, 5, 1); // 2026-06-01 is a Monday
  const purchases = [monday - 12 * WEEK + DAY, monday - 7 * WEEK, monday - 2 * WEEK + 3 * DAY].map(
    (at, i) => ({ at, eventId: `p${i}`, amount: 100, kind: 'parts' as const }),
  );

  useMigratedSchema(ds, config.database.schema);

  beforeAll(async () => {
    // A stored model for every month from the first purchase on: nothing is fitted.
    const cutoffs = new Set<number>();
    for (let at = purchases[0].at; at <= monday + 3 * WEEK; at += DAY) cutoffs.add(modelCutoff(at));
    for (const cutoff of cutoffs) {
      await ds.query(
        `INSERT INTO value_models (dealer_id, fitted_as_of, version, params, customers) VALUES ('d1', $1, 'v1', $2, 10)`,
        [new Date(cutoff).toISOString(), JSON.stringify(params)],
      );
    }
  });

  it('gives every instant of a week the same view; the next week adds its estimate', async () => {
    const models = new AliveModels(ds, 'd1');
    const customer = { customerId: 'c1', purchases };
    const expected = (at: number) => aliveHistory(() => params, 'c1', purchases, at);

    const monday1 = await models.customerAt(customer, 'c1', monday + 3_600_000);
    const sunday = await models.customerAt(customer, 'c1', monday + WEEK - 1);
    expect(sunday).toBe(monday1);
    expect(monday1.pAlive).toEqual(expected(monday + 3_600_000));
    expect(monday1.pAlive.at(-1)?.at).toBe(monday);

    const next = await models.customerAt(customer, 'c1', monday + WEEK);
    expect(next).not.toBe(monday1);
    expect(next.pAlive).toEqual(expected(monday + WEEK));
    expect(next.pAlive).toHaveLength(monday1.pAlive.length + 1);

    // Another state (a later round's load) gets a view of its own, equal in content.
    const again = await models.customerAt({ ...customer }, 'c1', monday + 2 * DAY);
    expect(again).not.toBe(monday1);
    expect(again.pAlive).toEqual(monday1.pAlive);
  });
});
