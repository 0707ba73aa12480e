import { decisionJobId, escalationJobId, FollowupJob, taskIdFor } from '@rp/followups';
import type { Redis } from 'ioredis';
import { createRedis, ensureJobs } from '@rp/queue';
import { waitFor } from '../../support';
import { DAY, DEALER, followupsHarness, T0, valuedDecision, type FollowupsHarness } from './harness';

// What a partial Redis loss leaves behind: the id of a job still in a list whose hash is gone; a worker
// taking it re-creates the hash with only its processing fields. Such a hash is in no state, or failed
// without a name, and BullMQ treats every add of the same id as a duplicate of it.
describe('dead job hashes left by a partial Redis loss', () => {
  let h: FollowupsHarness;
  let admin: Redis;
  let now = T0;
  beforeAll(async () => {
    h = await followupsHarness({ redispatchAfterMs: 500 }, () => now);
    admin = createRedis(h.config.redis.url);
  });
  afterAll(async () => {
    await admin.quit();
    await h.close();
  });

  const plantDeadHash = async (jobId: string): Promise<void> => {
    await admin.hset(h.runtime.queue.toKey(jobId), { processedOn: String(Date.now()), ats: '1' });
  };
  const escalatedAt = async (taskId: string): Promise<number | null> => {
    const rows = await h.ds.query<{ escalated_at: Date | null }[]>(
      'SELECT escalated_at FROM tasks WHERE task_id = $1',
      [taskId],
    );
    return rows[0]?.escalated_at ? new Date(rows[0].escalated_at).getTime() : null;
  };

  it('applies a decision whose job id Redis held dead', async () => {
    const d = valuedDecision({ customerId: 'c-dead-decision' });
    const jobId = decisionJobId(DEALER, d.id);
    await plantDeadHash(jobId);
    expect(await h.runtime.queue.getJobState(jobId)).toBe('unknown');

    await h.publish([d]);
    await h.waitApplied(1, 30_000);
    const job = (await waitFor('decision job completed', async () => {
      const j = await h.runtime.queue.getJob(jobId);
      return j && (await j.getState()) === 'completed' ? j : undefined;
    }))!;
    expect(job.name).toBe(FollowupJob.Decision);
    expect(job.returnvalue).toBe('created');
  });

  it('re-arms the escalation of an open task whose job Redis held dead, exactly once', async () => {
    const d = valuedDecision({ customerId: 'c-dead-escalation' });
    const taskId = taskIdFor(DEALER, d.id);
    const dueAt = T0 + 14 * DAY;
    const jobId = escalationJobId(DEALER, taskId, dueAt);
    await h.publish([d]);
    await h.waitApplied(2, 30_000);
    await waitFor(
      'escalation job delayed',
      async () => (await h.runtime.queue.getJobState(jobId)) === 'delayed',
    );

    // The delayed job is lost from Redis, a dead hash of its id stays; meanwhile the task becomes overdue.
    await h.runtime.queue.remove(jobId);
    await plantDeadHash(jobId);
    now = T0 + 15 * DAY;
    await waitFor('task escalated', () => escalatedAt(taskId), 30_000, 100);
    expect(await escalatedAt(taskId)).toBe(T0 + 15 * DAY);
    const job = (await h.runtime.queue.getJob(jobId))!;
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toBe('escalated');

    // Later re-arming rounds (every 500 ms) leave the finished job alone and escalate nothing again.
    await new Promise((r) => setTimeout(r, 1_500));
    const rows = await h.ds.query<{ task_id: string; escalated_at: Date }[]>(
      'SELECT task_id, escalated_at FROM escalations',
    );
    expect(rows.map((r) => [r.task_id, new Date(r.escalated_at).getTime()])).toEqual([
      [taskId, T0 + 15 * DAY],
    ]);
    expect((await h.runtime.queue.getJob(jobId))!.finishedOn).toBe(job.finishedOn);
  });

  it('replaces only dead jobs: live, completed and unrecoverably failed ones keep their id, state and data', async () => {
    const q = h.runtime.queue;
    const job = (id: string, data: Record<string, unknown>) => ({
      name: FollowupJob.Escalate,
      data,
      jobId: id,
      opts: { delay: 3_600_000 },
    });
    await q.add(FollowupJob.Escalate, { v: 'live' }, { jobId: 'probe.live', delay: 3_600_000 });
    await plantDeadHash('probe.dead');
    // No handler: UnrecoverableError, a poison job that stays failed for operators (exhausted jobs are
    // retried instead: exhausted-jobs.int-spec.ts).
    const failed = await q.add('no-such-job', { v: 'failed' }, { jobId: 'probe.failed', attempts: 3 });
    await waitFor('unknown job failed', async () => (await failed.getState()) === 'failed');
    expect((await q.getJob('probe.failed'))!.failedReason).toBe('no handler for job "no-such-job"');

    const replaced = await ensureJobs(q, [
      job('probe.live', { v: 'new' }),
      job('probe.dead', { v: 'new' }),
      job('probe.failed', { v: 'new' }),
      job('probe.missing', { v: 'new' }),
    ]);
    expect(replaced).toEqual({ removed: 1, retried: 0 });
    const seen = await Promise.all(
      ['probe.live', 'probe.dead', 'probe.failed', 'probe.missing'].map(async (id) => {
        const j = (await q.getJob(id))!;
        return [id, await j.getState(), j.data as unknown];
      }),
    );
    expect(seen).toEqual([
      ['probe.live', 'delayed', { v: 'live' }],
      ['probe.dead', 'delayed', { v: 'new' }],
      ['probe.failed', 'failed', { v: 'failed' }],
      ['probe.missing', 'delayed', { v: 'new' }],
    ]);
  });
});
