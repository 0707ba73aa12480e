import type { Job, JobsOptions, Queue } from 'bullmq';

/** A job with a deterministic id: the same source row always becomes the same job. */
export interface IdentifiedJob<D = unknown> {
  name: string;
  data: D;
  jobId: string;
  opts?: Omit<JobsOptions, 'jobId'>;
}

/** What clearing ids for a re-send did: dead hashes removed, exhausted failed jobs retried. */
export interface Cleared {
  removed: number;
  retried: number;
}

const LIVE = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

/**
 * True when Redis holds `jobId` but the job will never run nor tell why: its hash sits in no state
 * (lost from its list), or has no name (BullMQ re-created the hash of an id whose data was gone when a
 * worker took it). Such a hash blocks every re-add of the id, which BullMQ treats as a duplicate.
 */
function isDead(state: string, job: Job): boolean {
  if (LIVE.has(state)) return false;
  return state === 'unknown' || !job.name;
}

/**
 * Whether a failed job failed for a reason that may pass, so that running it again can succeed.
 *
 * The rule: a job whose last recorded error is an UnrecoverableError failed for good — the processor
 * said so (invalid payload, unknown job name, receiver refused): it stays failed, visible to operators,
 * and is never retried by a reclaim, so a poison job cannot loop. Any other failure is transient: the
 * job ran out of attempts on plain errors (Postgres or the receiver down longer than its back-off) or
 * stalled too often (workers crashed). BullMQ keeps every attempt's stack (our queues never set
 * `stackTraceLimit: 0`) and a stack starts with the error's name; a failure that left no stack at all
 * is a stall, which is transient too.
 */
export function failedTransiently(job: Pick<Job, 'stacktrace'>): boolean {
  const trace = job.stacktrace ?? [];
  const last = trace[trace.length - 1] as string | undefined;
  return last === undefined || !/^UnrecoverableError\b/.test(last);
}

/**
 * What a job id whose work Postgres says is undone needed: `missing` (Redis holds no hash for it: lost, or
 * completed and removed), `removed` (a dead hash, see isDead, deleted so that adding the id again works),
 * `retried` (failed transiently after all its attempts, see failedTransiently: back to waiting), or `kept`
 * (waiting, active, delayed, completed, or failed for good — left as it is: never re-sent).
 */
export type JobFate = 'missing' | 'removed' | 'retried' | 'kept';

async function settleOne(queue: Queue, jobId: string): Promise<JobFate> {
  // The hash first: a missing one, the common case after a loss, then costs no scan of the wait list.
  const job = await queue.getJob(jobId);
  if (!job) return 'missing';
  const state = await queue.getJobState(jobId);
  if (LIVE.has(state)) return 'kept';
  if (isDead(state, job)) {
    // remove() refuses a locked job (0): one a worker took meanwhile is alive again.
    return (await queue.remove(jobId, { removeChildren: false })) === 1 ? 'removed' : 'kept';
  }
  if (state !== 'failed' || !failedTransiently(job)) return 'kept';
  try {
    // Back to waiting with a full set of attempts; the id, data and past failures stay.
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return 'retried';
  } catch (err) {
    // Someone else (another replica's reclaim, an operator) moved it meanwhile: it is alive again.
    if ((await queue.getJobState(jobId)) !== 'failed') return 'kept';
    throw err;
  }
}

/**
 * Settles `jobIds`, whose work Postgres says is still undone, before a re-send: dead hashes are removed and
 * transiently exhausted jobs retried; returns each id's fate, in order (see JobFate). Only `missing` and
 * `removed` ids need adding again.
 */
export function settleForResend(queue: Queue, jobIds: readonly string[]): Promise<JobFate[]> {
  return Promise.all(jobIds.map((id) => settleOne(queue, id)));
}

/**
 * Makes `jobIds`, whose work Postgres says is still undone, runnable again: dead hashes (see isDead) are
 * removed so that adding them again works, and jobs that failed transiently after all their attempts
 * (see failedTransiently) are retried — BullMQ would drop a re-add of their id as a duplicate, and the
 * work would be lost for the 30 days the failed job is kept. Live jobs, completed ones and jobs that
 * failed for good stay as they are.
 */
export async function clearForResend(queue: Queue, jobIds: readonly string[]): Promise<Cleared> {
  const done = await settleForResend(queue, jobIds);
  return {
    removed: done.filter((d) => d === 'removed').length,
    retried: done.filter((d) => d === 'retried').length,
  };
}

/**
 * Adds jobs that must exist, e.g. re-armed from Postgres after Redis lost data or after their work failed
 * transiently for longer than their attempts: an id Redis still holds alive, completed or failed for good
 * is left alone, a dead one is replaced and an exhausted one retried (see clearForResend).
 */
export async function ensureJobs(queue: Queue, jobs: readonly IdentifiedJob[]): Promise<Cleared> {
  if (jobs.length === 0) return { removed: 0, retried: 0 };
  const cleared = await clearForResend(
    queue,
    jobs.map((j) => j.jobId),
  );
  await queue.addBulk(jobs.map(toBulkJob));
  return cleared;
}

/** The addBulk entry of an identified job. */
export function toBulkJob(j: IdentifiedJob): { name: string; data: unknown; opts: JobsOptions } {
  return { name: j.name, data: j.data, opts: { ...j.opts, jobId: j.jobId } };
}
