import { Queue, QueueEvents, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis } from '@rp/queue';
import { testConfig, waitFor } from '../support';

describe('BullMQ on the stack Redis', () => {
  const config = testConfig();
  const connections: Redis[] = [];
  const conn = () => {
    const r = createRedis(config.redis.url);
    connections.push(r);
    return r;
  };
  afterAll(async () => {
    await Promise.all(connections.map((c) => c.quit()));
  });

  it('runs with noeviction and append-only persistence', async () => {
    const r = conn();
    expect(await r.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    expect(await r.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
  });

  it('processes an added job once, even when the same job id is added twice', async () => {
    const name = 'smoke';
    const queue = new Queue(name, { connection: conn(), prefix: config.redis.queuePrefix });
    const events = new QueueEvents(name, { connection: conn(), prefix: config.redis.queuePrefix });
    const processed: string[] = [];
    const worker = new Worker(
      name,
      (job) => {
        processed.push(`${job.id}:${(job.data as { n: number }).n}`);
        return Promise.resolve((job.data as { n: number }).n * 2);
      },
      { connection: conn(), prefix: config.redis.queuePrefix },
    );
    await events.waitUntilReady();
    const job = await queue.add('double', { n: 21 }, { jobId: 'fixed-id' });
    await queue.add('double', { n: 99 }, { jobId: 'fixed-id' });
    expect(await job.waitUntilFinished(events, 20_000)).toBe(42);
    await waitFor('queue drained', async () => (await queue.getJobCounts('wait', 'active')).wait === 0);
    expect(processed).toEqual(['fixed-id:21']);
    await worker.close();
    await events.close();
    await queue.obliterate({ force: true });
    await queue.close();
  });
});
