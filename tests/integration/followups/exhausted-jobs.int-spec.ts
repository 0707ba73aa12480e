import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { decisionJobId, escalationJobId, FollowupJob, taskIdFor } from '@rp/followups';
import { clearForResend, createRedis } from '@rp/queue';
import { testConfig, waitFor } from '../../support';
import { DAY, DEALER, followupsHarness, T0, valuedDecision, type FollowupsHarness } from './harness';

// A Postgres outage longer than a job's attempts and back-off leaves the job `failed` under its fixed id.
// BullMQ drops every re-add of that id as a duplicate, so the periodic recovery must retry it while its
// work is still undone — and must leave alone a job that failed for good (UnrecoverableError).
describe('jobs that failed every attempt on a transient error', () => {
  let h: FollowupsHarness;
  let now = T0;
  const schema = (): string => h.config.database.schema;
  beforeAll(async () => {
    h = await followupsHarness({ attempts: 2, backoffMs: 20, redispatchAfterMs: 400 }, () => now);
  });
  afterAll(async () => {
    await h.close();
  });

  /**
   * Every insert into `table` fails: by default like a database being shut down (SQLSTATE 57P01: transient);
   * with `check_violation`, for a reason that will not pass (a check a bug would trip).
   */
  const breakInserts = async (table: string, errcode = 'admin_shutdown'): Promise<void> => {
    const message = errcode === 'admin_shutdown' ? 'simulated outage' : 'simulated bug';
    await h.ds.query(
      `CREATE OR REPLACE FUNCTION ${schema()}.simulated_outage() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '${message}' USING ERRCODE = '${errcode}'; END $$`,
    );
    await h.ds.query(
      `CREATE TRIGGER simulated_outage BEFORE INSERT ON ${schema()}.${table}
       FOR EACH ROW EXECUTE FUNCTION ${schema()}.simulated_outage()`,
    );
  };
  const repair = async (table: string): Promise<void> => {
    await h.ds.query(`DROP TRIGGER simulated_outage ON ${schema()}.${table}`);
  };
  const failedForGood = (jobId: string) =>
    waitFor(
      `${jobId} failed after its attempts`,
      async () => {
        const j = await h.runtime.queue.getJob(jobId);
        return j && (await j.getState()) === 'failed' && j.attemptsMade === 2 ? j : undefined;
      },
      30_000,
      20,
    );

  it('applies a decision whose job failed all its attempts, once the outage is over: exactly one task', async () => {
    const d = valuedDecision({ customerId: 'c-outage' });
    const jobId = decisionJobId(DEALER, d.id);
    await breakInserts('tasks');
    await h.publish([d]);
    const failed = (await failedForGood(jobId))!;
    expect(failed.failedReason).toBe('simulated outage');
    expect(await h.tasks()).toEqual([]);

    await repair('tasks');
    await waitFor('task created', async () => (await h.tasks()).length > 0, 30_000, 50);
    await waitFor(
      'decision job completed',
      async () => (await h.runtime.queue.getJobState(jobId)) === 'completed',
    );
    const tasks = await h.tasks();
    expect(tasks.map((t) => [t.task_id, t.customer_id, t.status])).toEqual([
      [taskIdFor(DEALER, d.id), 'c-outage', 'open'],
    ]);
    const applied = await h.ds.query<{ decision_id: string; result: string }[]>(
      'SELECT decision_id, result FROM task_decisions',
    );
    expect(applied).toEqual([{ decision_id: d.id, result: 'created' }]);
    expect((await h.runtime.queue.getJob(jobId))!.returnvalue).toBe('created');
    const outbox = await h.ds.query<{ applied: boolean }[]>(
      'SELECT applied_at IS NOT NULL AS applied FROM outbox WHERE dedup_key = $1',
      [d.id],
    );
    expect(outbox).toEqual([{ applied: true }]);
  });

  it('leaves a decision job whose last attempt failed for a reason that is not transient failed for operators', async () => {
    const d = valuedDecision({ customerId: 'c-bug' });
    const jobId = decisionJobId(DEALER, d.id);
    await breakInserts('tasks', 'check_violation');
    await h.publish([d]);
    const failed = (await failedForGood(jobId))!;
    expect(failed.failedReason).toBe('simulated bug (not transient: left failed after 2 attempts)');
    await repair('tasks');
    // Several re-send passes (every 400 ms here) later: still failed, attempts not reset, no task.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const still = (await h.runtime.queue.getJob(jobId))!;
    expect([await still.getState(), still.attemptsMade, still.finishedOn]).toEqual([
      'failed',
      2,
      failed.finishedOn,
    ]);
    expect((await h.tasks()).filter((t) => t.customer_id === 'c-bug')).toEqual([]);
  });

  it('escalates an overdue task whose escalation job failed all its attempts, exactly once', async () => {
    const d = valuedDecision({ customerId: 'c-outage-escalation' });
    const taskId = taskIdFor(DEALER, d.id);
    const dueAt = T0 + 14 * DAY;
    const jobId = escalationJobId(DEALER, taskId, dueAt);
    await h.publish([d]);
    await waitFor(
      'escalation job delayed',
      async () => (await h.runtime.queue.getJobState(jobId)) === 'delayed',
    );

    await breakInserts('escalations');
    now = T0 + 15 * DAY;
    await (await h.runtime.queue.getJob(jobId))!.promote();
    const failed = (await failedForGood(jobId))!;
    expect(failed.failedReason).toBe('simulated outage');

    await repair('escalations');
    await waitFor(
      'escalation job completed',
      async () => (await h.runtime.queue.getJobState(jobId)) === 'completed',
    );
    expect((await h.runtime.queue.getJob(jobId))!.returnvalue).toBe('escalated');
    const rows = await h.ds.query<{ task_id: string; escalated_at: Date }[]>(
      'SELECT task_id, escalated_at FROM escalations',
    );
    expect(rows.map((r) => [r.task_id, new Date(r.escalated_at).getTime()])).toEqual([
      [taskId, T0 + 15 * DAY],
    ]);
  });
});

describe('clearForResend: exhausted jobs are retried, poison jobs stay failed', () => {
  const conns: Redis[] = [];
  let queue: Queue;
  let worker: Worker;
  const seen: string[] = [];
  let outage = true;
  const prefix = testConfig().redis.queuePrefix;

  beforeAll(async () => {
    const conn = (): Redis => {
      const r = createRedis(testConfig().redis.url);
      conns.push(r);
      return r;
    };
    queue = new Queue('probe', { connection: conn(), prefix });
    worker = new Worker(
      'probe',
      (job) => {
        seen.push(`${job.id}:${job.attemptsMade}`);
        if (job.name === 'poison') return Promise.reject(new UnrecoverableError('invalid payload'));
        return outage ? Promise.reject(new Error('database down')) : Promise.resolve('done');
      },
      { connection: conn(), prefix },
    );
    await worker.waitUntilReady();
  });
  afterAll(async () => {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await Promise.all(conns.map((r) => r.quit()));
  });

  it('retries a job that ran out of attempts on plain errors, and leaves an unrecoverable one failed', async () => {
    const opts = { attempts: 2, backoff: { type: 'fixed', delay: 10 } };
    await queue.add(FollowupJob.Decision, {}, { ...opts, jobId: 'probe.exhausted' });
    // Unrecoverable on its last attempt: attempts alone would not tell it from an exhausted one.
    await queue.add('poison', {}, { ...opts, attempts: 1, jobId: 'probe.poison' });
    for (const id of ['probe.exhausted', 'probe.poison'])
      await waitFor(`${id} failed`, async () => (await queue.getJobState(id)) === 'failed', 10_000, 20);
    const poison = (await queue.getJob('probe.poison'))!;

    outage = false;
    expect(await clearForResend(queue, ['probe.exhausted', 'probe.poison', 'probe.missing'])).toEqual({
      removed: 0,
      retried: 1,
    });
    await waitFor(
      'exhausted job completed',
      async () => (await queue.getJobState('probe.exhausted')) === 'completed',
    );
    const done = (await queue.getJob('probe.exhausted'))!;
    expect([done.returnvalue, done.attemptsMade]).toEqual(['done', 1]);
    const still = (await queue.getJob('probe.poison'))!;
    expect([await still.getState(), still.failedReason, still.finishedOn]).toEqual([
      'failed',
      'invalid payload',
      poison.finishedOn,
    ]);
    // Two attempts, then one more after the retry (attempts counted afresh); the poison job ran once.
    expect([...seen].sort()).toEqual([
      'probe.exhausted:0',
      'probe.exhausted:0',
      'probe.exhausted:1',
      'probe.poison:0',
    ]);
  });
});
