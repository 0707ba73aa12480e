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

  // The statements a test holds back or waits for, told apart by their table and a column only each writes.
  const isMachines = (sql: string) => sql.startsWith('INSERT INTO machines ');
  const snapshotsUpsert = (sql: string) => isMachines(sql) && sql.includes('last_telematics_event_id');
  const ownersUpsert = (sql: string) => isMachines(sql) && sql.includes('owner_since');
  const warrantiesUpsert = (sql: string) => sql.startsWith('INSERT INTO warranties ');

  type Latch = ReturnType<typeof latch>;
  type Gate = [statement: (sql: string) => boolean, latch: Latch];

  /**
   * Applies `events` in a transaction whose statements are observed: before a statement matching a `before`
   * gate it waits for that latch (at most 1 s: all the fixed code ever waits, the other transaction being
   * queued behind this one by then); after a statement matching an `after` gate it opens that latch. Two
   * transactions gated on each other's statements are made to hold one row each when they ask for the
   * other's — the interleaving that deadlocks when rows are locked in two orders.
   */
  const apply = (events: IngestEvent[], gates: { before: Gate[]; after: Gate[] }) =>
    ds.transaction(async (em: EntityManager) => {
      const observed = {
        query: async <T>(sql: string, params?: unknown[]): Promise<T> => {
          for (const [statement, l] of gates.before) if (statement(sql)) await l.wait();
          const result = (await em.query(sql, params)) as T;
          for (const [statement, l] of gates.after) if (statement(sql)) l.open();
          return result;
        },
      };
      return applyEvents(observed, events);
    });

  const outcomes = (results: PromiseSettledResult<unknown>[]) =>
    results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'committed'));

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
          { before: [[ownersUpsert, second]], after: [[snapshotsUpsert, first]] },
        ),
        apply(ingestEvents([snapshot(`${p}-3`, y), registration(`${p}-4`, x, 'c-2')]), {
          before: [[ownersUpsert, first]],
          after: [[snapshotsUpsert, second]],
        }),
      ]);
      expect(outcomes(results)).toEqual(['committed', 'committed']);
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

  it('a snapshot with a registration of X, and another registration of X alone: both commit', async () => {
    // The first takes X's machine (snapshots' statement), then its warranty; the second, with no snapshot,
    // writes the same warranty and X's owner: machines before warranties in both, or they deadlock.
    const x = 'W-X';
    const snapshotWritten = latch(1_000);
    const warrantyWritten = latch(1_000);
    const results = await Promise.allSettled([
      apply(ingestEvents([snapshot('W-1', x), registration('W-2', x, 'c-1')]), {
        before: [[warrantiesUpsert, warrantyWritten]],
        after: [[snapshotsUpsert, snapshotWritten]],
      }),
      apply(ingestEvents([registration('W-3', x, 'c-2')]), {
        before: [[ownersUpsert, snapshotWritten]],
        after: [[warrantiesUpsert, warrantyWritten]],
      }),
    ]);
    expect(outcomes(results)).toEqual(['committed', 'committed']);
    // Same registration instant: the larger event id is the newer owner, whichever committed first.
    expect(
      await ds.query<unknown[]>(
        `SELECT m.customer_id AS owner, count(w.*)::int AS warranties FROM machines m
           JOIN warranties w USING (dealer_id, serial_number) WHERE m.serial_number = $1 GROUP BY 1`,
        [x],
      ),
    ).toEqual([{ owner: 'c-2', warranties: 1 }]);
  });
});
