import { createDataSource } from '@rp/database';
import {
  DEFAULT_VALUE_SETTINGS,
  loadRiskState,
  sweepDue,
  type LoadState,
  type RiskStepOptions,
} from '@rp/ingest';
import { DEFAULT_RULE_SET } from '@rp/risk';
import { testConfig, useMigratedSchema } from '../../support';

/**
 * A sweep round takes one dealer's due subjects (oldest due first, among dealers no concurrent sweep holds);
 * the sweep goes on while any are due.
 */
describe('sweep rounds (real Postgres)', () => {
  const config = testConfig();
  const ds = createDataSource({ ...config.database, poolSize: 2 });
  const step = (maxRounds: number): RiskStepOptions => ({
    engine: { ruleSet: DEFAULT_RULE_SET, value: DEFAULT_VALUE_SETTINGS, loadState: loadRiskState },
    topics: ['t'],
    allowedLatenessMs: 0,
    timersPerRound: 10,
    maxRounds,
  });
  const watermark = Date.parse('2025-07-01T00:00:00Z');
  const remaining = async () =>
    (
      await ds.query<{ dealer_id: string; customer_id: string }[]>(
        'SELECT dealer_id, customer_id FROM risk_timers ORDER BY dealer_id, customer_id',
      )
    ).map((r) => `${r.dealer_id}/${r.customer_id}`);
  const seed = () =>
    ds.query(
      `INSERT INTO risk_timers (dealer_id, customer_id, due_at) VALUES
         ('d2', 'c1', '2025-05-01T00:00:00Z'), ('d2', 'c2', '2025-05-03T00:00:00Z'),
         ('d1', 'c1', '2025-05-02T00:00:00Z'), ('d3', 'c1', '2025-06-01T00:00:00Z'),
         ('d3', 'c2', '2025-08-01T00:00:00Z')`,
    );

  useMigratedSchema(ds, config.database.schema);

  beforeEach(async () => {
    await ds.query('DELETE FROM risk_timers');
    await ds.query('DELETE FROM machines');
  });

  it('takes the dealer with the oldest due timer first, one dealer per round', async () => {
    await seed();
    expect(await sweepDue(ds, step(1), watermark)).toEqual({ fired: 2, more: true });
    expect(await remaining()).toEqual(['d1/c1', 'd3/c1', 'd3/c2']);
    expect(await sweepDue(ds, step(1), watermark)).toEqual({ fired: 1, more: true });
    expect(await remaining()).toEqual(['d3/c1', 'd3/c2']);
  });

  it('goes on round after round while timers of any dealer are due, and leaves those ahead', async () => {
    await seed();
    expect(await sweepDue(ds, step(50), watermark)).toEqual({ fired: 4, more: false });
    expect(await remaining()).toEqual(['d3/c2']); // due after the watermark
  });

  it('sweeps side by side take different dealers; one dealer is never swept twice at once', async () => {
    await seed();
    // A concurrent sweep holds d2 (the oldest due): this one claims the next dealer instead.
    const qr = ds.createQueryRunner();
    await qr.connect();
    await qr.startTransaction();
    try {
      await qr.query(
        `SELECT pg_try_advisory_xact_lock(727150321, hashtext(current_schema() || '/' || 'd2'))`,
      );
      expect(await sweepDue(ds, step(50), watermark)).toEqual({ fired: 2, more: false });
      expect(await remaining()).toEqual(['d2/c1', 'd2/c2', 'd3/c2']);
    } finally {
      await qr.rollbackTransaction();
      await qr.release();
    }
    expect(await sweepDue(ds, step(50), watermark)).toEqual({ fired: 2, more: false });
    expect(await remaining()).toEqual(['d3/c2']);
  });

  it("a round whose window of oldest rows is one subject's takes it alone, all its due rows, and says more", async () => {
    // Subjects are chosen from the oldest due rows, 16 per subject wanted: 2 wanted → 32 rows, all c1's here.
    await ds.query(
      `INSERT INTO risk_timers (dealer_id, customer_id, due_at)
       SELECT 'd1', 'c1', timestamptz '2025-01-01T00:00:00Z' + n * interval '1 day' FROM generate_series(0, 39) n`,
    );
    await ds.query(
      `INSERT INTO risk_timers (dealer_id, customer_id, due_at) VALUES
         ('d1', 'c2', '2025-03-01T00:00:00Z'), ('d1', 'c3', '2025-03-02T00:00:00Z')`,
    );
    const two = { ...step(1), timersPerRound: 2 };
    expect(await sweepDue(ds, two, watermark)).toEqual({ fired: 1, more: true });
    expect(await remaining()).toEqual(['d1/c2', 'd1/c3']); // all 40 of c1's, beyond the window too
    // A full round says more too; the sweep goes on until a round finds nothing due.
    expect(await sweepDue(ds, { ...two, maxRounds: 50 }, watermark)).toEqual({ fired: 2, more: false });
    expect(await remaining()).toEqual([]);
  });

  it("takes a customer's own timers and its machines' together, loading the customer once", async () => {
    await ds.query(
      `INSERT INTO machines (dealer_id, serial_number, customer_id) VALUES
         ('d1', 'S-1', 'c1'), ('d1', 'S-2', 'c1'), ('d1', 'S-3', 'c2')`,
    );
    await ds.query(
      `INSERT INTO risk_timers (dealer_id, customer_id, due_at) VALUES
         ('d1', '#serial:S-1', '2025-05-01T00:00:00Z'), ('d1', 'c2', '2025-05-02T00:00:00Z'),
         ('d1', 'c1', '2025-05-03T00:00:00Z'), ('d1', '#serial:S-2', '2025-05-04T00:00:00Z'),
         ('d1', '#serial:S-3', '2025-05-05T00:00:00Z')`,
    );
    const loaded: string[][] = [];
    const counting: LoadState = (db, dealerId, ids, opts) => {
      loaded.push([...ids].sort());
      return loadRiskState(db, dealerId, ids, opts);
    };
    // One subject per round: the oldest (S-1's) brings its owner c1 and c1's other machine S-2.
    const one = { ...step(1), timersPerRound: 1 };
    const round = { ...one, engine: { ...one.engine, loadState: counting } };
    expect(await sweepDue(ds, round, watermark)).toEqual({ fired: 3, more: true });
    expect(await remaining()).toEqual(['d1/#serial:S-3', 'd1/c2']);
    expect(loaded).toEqual([['c1']]);
    expect(await sweepDue(ds, round, watermark)).toEqual({ fired: 2, more: true });
    expect(await remaining()).toEqual([]);
    expect(loaded).toEqual([['c1'], ['c2']]);
  });
});
