import type { EntityManager } from 'typeorm';
import { createDataSource } from '@rp/database';
import { applyEvents, type IngestEvent } from '@rp/ingest';
import { ev, ingestEvents, testConfig, useMigratedSchema } from '../../support';

/**
 * Two ingest transactions in flight (two partitions' batches, or two replicas) may write the same machines:
 * one through a snapshot, the other through a warranty registration. Whatever the interleaving, they must
 * queue behind each other, never deadlock (a deadlock costs both a rollback and a retry).
 */
describe('ingest row-lock order between concurrent transactions (real Postgres)', () => {
  const config = testConfig();
  const ds = createDataSource({ ...config.database, poolSize: 4 });
  useMigratedSchema(ds, config.database.schema);

  const snapshot = (id: string, serial: string) =>
    ev(id, 'telematics.snapshot', '2026-03-02T00:00:00Z', {
      serialNumber: serial,
      cumulativeOperatingHours: 10,
    });
  const registration = (id: string, serial: string, customerId: string) =>
    ev(id, 'warranty.registered', '2026-03-01T00:00:00Z', {
      serialNumber: serial,
      customerId,
      branchId: 'b-1',
      startsAt: '2026-03-01',
      endsAt: '2027-03-01',
    });

  /** A latch: `wait()` resolves once `open()` was called, or `ms` after the wait began (whichever is first). */
  const latch = (ms: number) => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    const wait = () =>
      Promise.race([opened, new Promise<void>((resolve) => setTimeout(resolve, ms).unref())]);
    return { open, wait };
  };

  // The two statements that write machines, told apart by a column only each of them writes.
  const isMachines = (sql: string) => sql.startsWith('INSERT INTO machines ');
  const snapshotsUpsert = (sql: string) => isMachines(sql) && sql.includes('last_telematics_event_id');
  const ownersUpsert = (sql: string) => isMachines(sql) && sql.includes('owner_since');

  /**
   * Applies `events` in a transaction whose statements are observed: `wrote` opens once its snapshot rows
   * reached the machines table; before its owners' statement it waits for `other` (the other
   * transaction's snapshot rows; at most 1 s, which is all the fixed code ever waits: the other
   * transaction is then queued behind this one), so both transactions hold their snapshot's machine when
   * they ask for the other's — the interleaving that deadlocks when machine rows are locked in two passes.
   */
  const apply = (events: IngestEvent[], wrote: { open: () => void }, other: { wait: () => Promise<void> }) =>
    ds.transaction(async (em: EntityManager) => {
      const observed = {
        query: async <T>(sql: string, params?: unknown[]): Promise<T> => {
          if (ownersUpsert(sql)) await other.wait();
          const result = (await em.query(sql, params)) as T;
          if (snapshotsUpsert(sql)) wrote.open();
          return result;
        },
      };
      return applyEvents(observed, events);
    });

  it.each([
    ['new machines', 'N'],
    ['machines already known', 'K'],
  ])(
    'a snapshot of X with a registration of Y, and one of Y with one of X: both commit (%s)',
    async (_, p) => {
      const [x, y] = [`${p}-X`, `${p}-Y`];
      if (p === 'K') {
        await applyEvents(ds, ingestEvents([snapshot(`${p}-k1`, x), snapshot(`${p}-k2`, y)]));
      }
      const first = latch(1_000);
      const second = latch(1_000);
      const results = await Promise.allSettled([
        apply(
          ingestEvents([
            snapshot(`${p}-1`, x),
            registration(`${p}-2`, y, 'c-1'),
            registration(`${p}-2b`, y, 'c-1'), // twice in one batch: locked once
          ]),
          first,
          second,
        ),
        apply(ingestEvents([snapshot(`${p}-3`, y), registration(`${p}-4`, x, 'c-2')]), second, first),
      ]);
      expect(results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'committed'))).toEqual([
        'committed',
        'committed',
      ]);
      const owners = await ds.query<unknown[]>(
        `SELECT serial_number, customer_id, hour_meter FROM machines WHERE serial_number IN ($1, $2) ORDER BY 1`,
        [x, y],
      );
      expect(owners).toEqual([
        { serial_number: x, customer_id: 'c-2', hour_meter: '10' },
        { serial_number: y, customer_id: 'c-1', hour_meter: '10' },
      ]);
    },
  );
});
