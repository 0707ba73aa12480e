import { createDataSource } from '@rp/database';
import { holdoutBucket } from '@rp/followups';
import { testConfig, useMigratedSchema } from '../../../../tests/support';
import { fanOutDecisions } from './fan-out';

/** The fan-out reads the holdout the tasks record per customer, instead of re-drawing with the current share. */
describe('alert fan-out and the recorded holdout', () => {
  const config = testConfig();
  const ds = createDataSource(config.database);
  useMigratedSchema(ds, config.database.schema);
  const DEALER = 'dealer-a';
  const covering = (c: string) => (holdoutBucket(DEALER, c) + 1) / 10_000;

  let n = 0;
  const publish = async (customerId: string) => {
    const id = `d-${++n}`;
    const payload = {
      id,
      dealerId: DEALER,
      customerId,
      serialNumber: null,
      branchId: 'b1',
      reasonCode: 'DETRACTOR',
      family: 'experience',
      message: 'detractor',
      detectedAtMs: 0,
      valueAtRisk: 10,
      priority: 10,
    };
    await ds.query(
      `INSERT INTO outbox (dealer_id, kind, dedup_key, payload) VALUES ($1, 'decision', $2, $3::jsonb)`,
      [DEALER, id, JSON.stringify(payload)],
    );
    return id;
  };
  const dispatched = async () =>
    (
      await ds.query<{ decision_id: string }[]>('SELECT decision_id FROM alert_dispatch ORDER BY decision_id')
    ).map((r) => r.decision_id);

  beforeAll(async () => {
    await ds.query(
      `INSERT INTO alert_subscriptions (dealer_id, subscription_id, url, secret) VALUES ($1, 's1', 'https://x.test/h', 'k')`,
      [DEALER],
    );
  });

  it('records the draw of a new customer, alerts nobody while it is held out, and alerts once the share releases it', async () => {
    await publish('c-held');
    expect(await fanOutDecisions(ds, 100, covering('c-held'))).toEqual({
      scanned: 1,
      dispatches: 0,
      invalid: 0,
      heldOut: 1,
    });
    expect(await ds.query('SELECT customer_id, held FROM holdout_customers')).toEqual([
      { customer_id: 'c-held', held: true },
    ]);
    // The share is lowered to 0: the recorded holdout is released, the customer is alerted.
    const next = await publish('c-held');
    expect(await fanOutDecisions(ds, 100, 0)).toMatchObject({ scanned: 1, dispatches: 1, heldOut: 0 });
    expect(await dispatched()).toEqual([next]);
  });

  it('alerts a customer recorded as not held out even under a share that would draw it now', async () => {
    await ds.query(
      `INSERT INTO holdout_customers (dealer_id, customer_id, held, share) VALUES ($1, 'c-out', false, 0)`,
      [DEALER],
    );
    const id = await publish('c-out');
    expect(await fanOutDecisions(ds, 100, 1)).toMatchObject({ scanned: 1, dispatches: 1, heldOut: 0 });
    expect(await dispatched()).toContain(id);
  });
});
