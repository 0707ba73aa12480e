import { createDataSource } from '@rp/database';
import { applyEvents, isKnownEventKey } from '@rp/ingest';
import { ev, ingestEvents, testConfig, useMigratedSchema } from '../../support';

/**
 * The ingest handler writes a batch's processed-event keys expecting them all to be new (a plain INSERT);
 * a key processed before makes that transaction fail as a whole, and the batch is applied again with
 * ON CONFLICT. Here: what the plain path does with new keys, and that a known one fails it cleanly.
 */
describe('processed-event keys expected new (real Postgres)', () => {
  const config = testConfig();
  const ds = createDataSource({ ...config.database, poolSize: 2 });
  useMigratedSchema(ds, config.database.schema);

  const snapshot = (id: string, hours: number) =>
    ev(id, 'telematics.snapshot', '2026-03-02T00:00:00Z', {
      serialNumber: 'S-1',
      cumulativeOperatingHours: hours,
    });
  const count = async (table: string) =>
    (await ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`))[0].n;

  beforeEach(async () => {
    for (const t of ['processed_events', 'telematics_readings', 'machines'])
      await ds.query(`DELETE FROM ${t}`);
  });

  it('applies new keys, a duplicate inside the batch once', async () => {
    const events = ingestEvents([snapshot('k1', 10), snapshot('k2', 12), snapshot('k1', 10)]);
    const r = await ds.transaction((em) => applyEvents(em, events, { expectNew: true }));
    expect(r.applied.map((e) => e.event.eventId)).toEqual(['k1', 'k2']);
    expect(r.duplicates).toBe(1);
    expect(await count('processed_events')).toBe(2);
    expect(await count('telematics_readings')).toBe(2);
  });

  it('fails on a key processed before, as a known-key error, and writes nothing', async () => {
    await ds.transaction((em) => applyEvents(em, ingestEvents([snapshot('k1', 10)])));
    const again = ingestEvents([snapshot('k3', 20), snapshot('k1', 10)]);
    const err = await ds
      .transaction((em) => applyEvents(em, again, { expectNew: true }))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(isKnownEventKey(err)).toBe(true);
    expect(await count('processed_events')).toBe(1);
    expect(await count('telematics_readings')).toBe(1);
    // Applied again the tolerant way: only the new event.
    const r = await ds.transaction((em) => applyEvents(em, again));
    expect(r.applied.map((e) => e.event.eventId)).toEqual(['k3']);
    expect(await count('telematics_readings')).toBe(2);
  });

  it('a unique violation of another table is not a known event key', async () => {
    const err = await ds
      .query(`INSERT INTO machines (dealer_id, serial_number) VALUES ('d', 'x'), ('d', 'x')`)
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect((err as { code?: string }).code).toBe('23505');
    expect(isKnownEventKey(err)).toBe(false);
    expect(isKnownEventKey(new Error('boom'))).toBe(false);
    expect(isKnownEventKey(undefined)).toBe(false);
  });
});
