import { createDataSource, runMigrations } from '@rp/database';
import { testConfig, testRiskRuntime } from '../../support';

/**
 * The ingest role's background loop follows the batches' rule: live it sweeps whatever the watermark has
 * passed; while a backlog is read (a partition trails the newest event by more than an hour) only once the
 * oldest due timer is twice sweepLagMs behind the watermark, then everything due up to sweepLagMs behind it.
 */
describe('background sweeps while a backlog is read', () => {
  const config = testConfig();
  const topic = config.topics.telematics;
  const ds = createDataSource({ ...config.database, poolSize: 2 });
  const DAY = 86_400_000;

  // Event time only (never quiet); a timer sweeps a backlog once 30 days overdue.
  const runtime = testRiskRuntime(
    ds,
    config.topics.decisions,
    topic,
    { quietMs: Number.MAX_SAFE_INTEGER },
    { sweepLagMs: 30 * DAY },
  );

  const dueAts = async () =>
    (
      await ds.query<{ at: string }[]>(
        `SELECT to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS at FROM risk_timers ORDER BY due_at`,
      )
    ).map((r) => r.at);
  const watermarks = (rows: [number, string, boolean][]) =>
    ds.query(
      `INSERT INTO stream_watermarks (topic, kafka_partition, max_event_at, caught_up)
       SELECT $1, p, t, c FROM unnest($2::int[], $3::timestamptz[], $4::boolean[]) AS x(p, t, c)
       ON CONFLICT (topic, kafka_partition) DO UPDATE SET max_event_at = EXCLUDED.max_event_at,
         caught_up = EXCLUDED.caught_up`,
      [topic, rows.map((r) => r[0]), rows.map((r) => r[1]), rows.map((r) => r[2])],
    );
  const timer = (customer: string, at: string) =>
    ds.query(`INSERT INTO risk_timers (dealer_id, customer_id, due_at) VALUES ('d1', $1, $2)`, [
      customer,
      at,
    ]);

  beforeAll(async () => {
    await ds.initialize();
    await runMigrations(ds);
  });

  beforeEach(async () => {
    await ds.query('DELETE FROM risk_timers');
    await ds.query('DELETE FROM stream_watermarks');
  });

  afterAll(async () => {
    await ds.query(`DROP SCHEMA IF EXISTS ${config.database.schema} CASCADE`);
    await ds.destroy();
  });

  it('a backlog: timers wait until the oldest lags by twice sweepLagMs, then those sweepLagMs overdue fire', async () => {
    // Partition 1 is read to its end (2025-07-01); partition 0 trails it by months: the watermark is 2025-03-01.
    await watermarks([
      [0, '2025-03-01T00:00:00Z', false],
      [1, '2025-07-01T00:00:00Z', true],
    ]);
    await timer('c1', '2025-02-10T00:00:00Z'); // 19 days overdue
    await timer('c2', '2025-04-01T00:00:00Z'); // ahead of the watermark
    await timer('c3', '2025-01-15T00:00:00Z'); // 45 days overdue: more than sweepLagMs, less than twice
    await runtime.tick();
    expect(await dueAts()).toEqual(['2025-01-15', '2025-02-10', '2025-04-01']);

    await timer('c4', '2024-12-20T00:00:00Z'); // 71 days overdue: more than twice sweepLagMs
    await runtime.tick();
    // Every timer at least sweepLagMs overdue fired (up to 2025-01-30); the younger ones wait.
    expect(await dueAts()).toEqual(['2025-02-10', '2025-04-01']);
  });

  it('live (no partition trails): whatever the watermark passed fires at once', async () => {
    await watermarks([
      [0, '2025-03-01T00:00:00Z', true],
      [1, '2025-03-01T00:30:00Z', false], // 30 minutes short of the newest: not a backlog
    ]);
    await timer('c1', '2025-02-28T00:00:00Z');
    await timer('c2', '2025-04-01T00:00:00Z');
    await runtime.tick();
    expect(await dueAts()).toEqual(['2025-04-01']);
  });
});
