import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { alertJobId, enqueueDispatches, reclaimPending } from '@rp/alerts';
import { createDataSource, runMigrations } from '@rp/database';
import { createRedis, QueueName } from '@rp/queue';
import { testConfig } from '../../support';

const PAGE = 1000;
const AFTER_MS = 60_000;

// The alerts version of the recovery pass shares the followups one (reclaimUnconfirmed in @rp/queue):
// one page of pending deliveries per pass, and only those whose job Redis does not hold are enqueued again.
describe('alerts recovery pass: one page at a time, only lost jobs', () => {
  const config = testConfig();
  let redis: Redis;
  let ds: DataSource;
  let queue: Queue;

  beforeAll(async () => {
    ds = createDataSource(config.database);
    await ds.initialize();
    await runMigrations(ds);
    redis = createRedis(config.redis.url);
    queue = new Queue(QueueName.Alerts, { connection: redis, prefix: config.redis.queuePrefix });
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await redis.quit();
    await ds.query(`DROP SCHEMA IF EXISTS ${config.database.schema} CASCADE`);
    await ds.destroy();
  });

  /** `n` deliveries enqueued `minutesAgo` and still pending, ids `<prefix>-00001` … (oldest first). */
  const enqueuedLongAgo = async (prefix: string, n: number, minutesAgo: number): Promise<string[]> => {
    const rows = await ds.query<{ delivery_id: string }[]>(
      `INSERT INTO alert_dispatch (dealer_id, decision_id, subscription_id, delivery_id, enqueued_at)
       SELECT 'dealer-a', $1::text || g, 's1', $1 || '-' || lpad(g::text, 5, '0'),
              now() - $3::int * interval '1 minute' + g * interval '1 ms'
         FROM generate_series(1, $2::int) g
       RETURNING delivery_id`,
      [prefix, n, minutesAgo],
    );
    return rows.map((r) => r.delivery_id).sort();
  };
  const waitingIds = async (): Promise<string[]> =>
    (await queue.getJobs(['waiting'], 0, -1)).map((j) => j.id!).sort();

  it('enqueues a backlog of lost deliveries again one page per pass, each once; leaves waiting jobs alone', async () => {
    const lost = await enqueuedLongAgo('lost', 2 * PAGE + 500, 60);
    const held = await enqueuedLongAgo('held', 3, 30);
    await queue.addBulk(held.map((id) => ({ name: 'deliver', data: {}, opts: { jobId: alertJobId(id) } })));

    const resent: number[] = [];
    const seen: number[] = [];
    for (let pass = 0; pass < 4; pass++) {
      resent.push(await reclaimPending(ds, queue, AFTER_MS));
      await enqueueDispatches(ds, queue, 10_000);
      seen.push((await waitingIds()).length);
    }
    expect(resent).toEqual([PAGE, PAGE, 500, 0]);
    expect(seen).toEqual([3 + PAGE, 3 + 2 * PAGE, 3 + 2 * PAGE + 500, 3 + 2 * PAGE + 500]);
    expect(await waitingIds()).toEqual([...held, ...lost].map(alertJobId).sort());
    // The held rows were looked at (in the third pass, after the lost ones: oldest mark first) and kept.
    const marks = await ds.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM alert_dispatch WHERE enqueued_at > now() - interval '10 minutes'`,
    );
    expect(marks).toEqual([{ n: String(2 * PAGE + 503) }]);
  });
});
