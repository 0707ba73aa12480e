import { Queue } from 'bullmq';
import { createDataSource } from '@rp/database';
import { relayDecisions } from '@rp/followups';
import { createRedis } from '@rp/queue';
import { testConfig, useMigratedSchema } from '../../support';
import { valuedDecision } from './harness';

/**
 * The Kafka publisher and the alerts fan-out lock the same outbox rows (for their own columns). A decision
 * they hold is skipped by the relay's SKIP LOCKED, and their commit sends no new notification: the pass says
 * rows are still waiting, so the loop looks again within milliseconds instead of its idle pause.
 */
describe('decision relay and outbox rows locked by another consumer (real Postgres and Redis)', () => {
  const config = testConfig();
  const ds = createDataSource({ ...config.database, poolSize: 3 });
  const connection = createRedis(config.redis.url);
  const queue = new Queue('relay-held-rows', { connection, prefix: config.redis.queuePrefix });
  useMigratedSchema(ds, config.database.schema);
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await connection.quit();
  });

  it('reports a held row as waiting, then sends it once the holder commits', async () => {
    const d = valuedDecision({ customerId: 'c-held' });
    await ds.query(
      `INSERT INTO outbox (dealer_id, kind, dedup_key, payload) VALUES ($1, 'decision', $2, $3)`,
      [d.dealerId, d.id, JSON.stringify(d)],
    );
    const holder = ds.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    // What the alerts fan-out does while it holds the rows.
    await holder.query(`SELECT id FROM outbox WHERE kind = 'decision' AND published_at IS NULL FOR UPDATE`);
    try {
      expect(await relayDecisions(ds, queue, 200)).toEqual({ sent: 0, waiting: true });
    } finally {
      await holder.commitTransaction();
      await holder.release();
    }
    expect(await relayDecisions(ds, queue, 200)).toEqual({ sent: 1, waiting: false });
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });
    expect(await relayDecisions(ds, queue, 200)).toEqual({ sent: 0, waiting: false });
  });
});
