import { createDataSource, listenOutbox, runMigrations } from '@rp/database';
import { testConfig, waitFor } from '../support';

/** Committed outbox rows wake the relays through Postgres NOTIFY, per schema. */
describe('outbox notifications', () => {
  const a = testConfig();
  const b = testConfig();
  const sources = [a, b].map((c) => createDataSource({ ...c.database, poolSize: 2 }));
  const warn = jest.fn();

  beforeAll(async () => {
    for (const ds of sources) {
      await ds.initialize();
      await runMigrations(ds);
    }
  });

  afterAll(async () => {
    for (const [i, ds] of sources.entries()) {
      await ds.query(`DROP SCHEMA IF EXISTS ${[a, b][i].database.schema} CASCADE`);
      await ds.destroy();
    }
  });

  const insert = (i: number, key: string) =>
    sources[i].query(
      `INSERT INTO outbox (dealer_id, kind, dedup_key, payload) VALUES ('d1', 'decision', $1, '{}')`,
      [key],
    );

  it('calls back once per committed insert into its own schema, never for another schema or a rollback', async () => {
    let calls = 0;
    const listener = listenOutbox(a.database.url, a.database.schema, () => calls++, { warn });
    await waitFor('the initial catch-up call', () => calls === 1, 10_000, 20);

    await insert(1, 'other-schema');
    await sources[0]
      .transaction(async (em) => {
        await em.query(
          `INSERT INTO outbox (dealer_id, kind, dedup_key, payload) VALUES ('d1', 'decision', 'rolled-back', '{}')`,
        );
        throw new Error('roll back');
      })
      .catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    expect(calls).toBe(1);

    const t0 = Date.now();
    await insert(0, 'k1');
    await waitFor('the notification', () => calls === 2, 5_000, 5);
    expect(Date.now() - t0).toBeLessThan(1_000);
    await sources[0].transaction(async (em) => {
      for (const k of ['k2', 'k3', 'k4'])
        await em.query(
          `INSERT INTO outbox (dealer_id, kind, dedup_key, payload) VALUES ('d1', 'decision', $1, '{}')`,
          [k],
        );
    });
    await waitFor('one notification for the transaction', () => calls === 3, 5_000, 5);
    await new Promise((r) => setTimeout(r, 300));
    expect(calls).toBe(3); // Postgres folds identical notifications of one transaction
    await listener.close();
    expect(warn).not.toHaveBeenCalled();
  });
});
