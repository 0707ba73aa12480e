import type { JobsOptions, Queue } from 'bullmq';

/** A job with a deterministic id: the same source row always becomes the same job. */
export interface IdentifiedJob<D = unknown> {
  name: string;
  data: D;
  jobId: string;
  opts?: Omit<JobsOptions, 'jobId'>;
}

const LIVE = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

/**
 * True when Redis holds `jobId` but the job will never run nor tell why: its hash sits in no state
 * (lost from its list), or has no name (BullMQ re-created the hash of an id whose data was gone when a
 * worker took it). Such a hash blocks every re-add of the id, which BullMQ treats as a duplicate.
 */
async function isDead(queue: Queue, jobId: string): Promise<boolean> {
  const state = await queue.getJobState(jobId);
  if (LIVE.has(state)) return false;
  const job = await queue.getJob(jobId);
  if (!job) return false;
  return state === 'unknown' || !job.name;
}

/**
 * Removes the dead jobs among `jobIds` (see isDead) so that adding them again works; live and finished
 * jobs stay (a finished one keeps its result or failure for operators). Returns how many were removed.
 */
export async function removeDeadJobs(queue: Queue, jobIds: readonly string[]): Promise<number> {
  const dead = await Promise.all(jobIds.map((id) => isDead(queue, id)));
  const ids = jobIds.filter((_, i) => dead[i]);
  // remove() refuses a locked job (0): one a worker took meanwhile is alive again.
  const removed = await Promise.all(ids.map((id) => queue.remove(id, { removeChildren: false })));
  return removed.filter((n) => n === 1).length;
}

/**
 * Adds jobs that must exist, e.g. re-armed from Postgres after Redis lost data: an id Redis still holds
 * alive or finished is left alone, a dead one is replaced. Returns how many dead jobs were replaced.
 */
export async function ensureJobs(queue: Queue, jobs: readonly IdentifiedJob[]): Promise<number> {
  if (jobs.length === 0) return 0;
  const replaced = await removeDeadJobs(
    queue,
    jobs.map((j) => j.jobId),
  );
  await queue.addBulk(jobs.map(toBulkJob));
  return replaced;
}

/** The addBulk entry of an identified job. */
export function toBulkJob(j: IdentifiedJob): { name: string; data: unknown; opts: JobsOptions } {
  return { name: j.name, data: j.data, opts: { ...j.opts, jobId: j.jobId } };
}
