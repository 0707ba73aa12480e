import type { Redis } from 'ioredis';
import { createRedis } from '@rp/queue';
import { waitFor } from '../../support';
import { DAY, followupsHarness, T0, valuedDecision, type FollowupsHarness } from './harness';

// Simulates a Redis data loss for this test only: every key under the test's queue prefix is deleted
// (the data loss) and this runtime's connections are killed (the restart). A global FLUSHALL or a real
// restart would break other test files sharing the stack Redis. The keys go in SCAN batches while the
// runtime keeps working, so the loss is partial, like an eviction: a job id can stay in a list without its
// hash, and BullMQ then re-creates a dead hash (no name, no data) that swallows every re-add of the id.
describe('Redis loses its data in the middle of the flow', () => {
  let h: FollowupsHarness;
  let admin: Redis;
  // The task layer's clock: decisions arrive at T0 (on time), the due dates pass later (see below).
  let now = T0;
  beforeAll(async () => {
    h = await followupsHarness({ workerConcurrency: 1, redispatchAfterMs: 1_000 }, () => now);
    admin = createRedis(h.config.redis.url);
  });
  afterAll(async () => {
    await admin.quit();
    await h.close();
  });

  const loseRedisData = async (): Promise<void> => {
    const prefix = h.config.redis.queuePrefix;
    let cursor = '0';
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await admin.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    const clients = (await admin.client('LIST')) as string;
    for (const line of clients.split('\n')) {
      const id = /\bid=(\d+)/.exec(line)?.[1];
      if (id && line.includes(`name=rp-followups-`) && line.includes(prefix))
        await admin.client('KILL', 'ID', id);
    }
  };

  it('loses no task and duplicates none', async () => {
    const customers = Array.from({ length: 300 }, (_, i) => `cust-${i}`);
    const first = customers.map((c) => valuedDecision({ customerId: c }));
    const second = customers.map((c) =>
      valuedDecision({
        customerId: c,
        reasonCode: 'MAINTENANCE_OVERDUE',
        detectedAtMs: T0 + DAY,
        priority: 20,
      }),
    );
    await h.publish(first);
    await h.publish(second);
    await h.waitApplied(50);
    await loseRedisData();
    const appliedAtLoss = await h.applied();
    expect(appliedAtLoss).toBeLessThan(600);

    await h.waitApplied(600, 120_000);
    const tasks = await h.tasks();
    expect(tasks).toHaveLength(300);
    expect(new Set(tasks.map((t) => t.customer_id)).size).toBe(300);
    expect(tasks.every((t) => t.status === 'open' && t.priority === '20')).toBe(true);
    expect(
      tasks.every(
        (t) => t.reasons.map((r) => r.code).join() === 'POST_WARRANTY_NO_SERVICE,MAINTENANCE_OVERDUE',
      ),
    ).toBe(true);
    const results = await h.ds.query<{ result: string; n: string }[]>(
      'SELECT result, count(*) AS n FROM task_decisions GROUP BY result ORDER BY result',
    );
    expect(results).toEqual([
      { result: 'created', n: '300' },
      { result: 'merged', n: '300' },
    ]);
    await waitFor('worker healthy again', () => h.runtime.health().then(() => true), 30_000);
    // Every task is due T0 + 14 days. Time passes beyond that: each task must be escalated exactly once, those
    // whose job Redis lost (or kept as a dead hash) through the re-arming from Postgres (due now: no delay),
    // the others by their delayed job (promoted here instead of waiting 14 real days).
    expect(tasks.every((t) => new Date(t.due_at).getTime() === T0 + 14 * DAY)).toBe(true);
    now = T0 + 15 * DAY;
    const unescalated = async () =>
      Number(
        (await h.ds.query<{ n: string }[]>('SELECT count(*) AS n FROM tasks WHERE escalated_at IS NULL'))[0]
          .n,
      );
    await waitFor(
      'every overdue task escalated',
      async () => {
        for (const job of await h.runtime.queue.getDelayed()) await job.promote().catch(() => undefined);
        return (await unescalated()) === 0;
      },
      60_000,
      100,
    );
    // Two more re-arming rounds (every redispatchAfterMs = 1 s) must not escalate anything again.
    await new Promise((r) => setTimeout(r, 2_500));
    const escalations = await h.ds.query<{ task_id: string; same: boolean }[]>(
      `SELECT e.task_id, e.escalated_at = t.escalated_at AS same
         FROM escalations e JOIN tasks t USING (dealer_id, task_id)`,
    );
    expect(escalations).toHaveLength(300);
    expect(new Set(escalations.map((e) => e.task_id))).toEqual(new Set(tasks.map((t) => t.task_id)));
    expect(escalations.every((e) => e.same)).toBe(true);
    expect(await unescalated()).toBe(0);
  }, 240_000);
});
