import { DelayedError, UnrecoverableError } from 'bullmq';
import { isTransient } from '@rp/database';

/**
 * What a failed attempt throws to BullMQ. A failure that may pass (Postgres or the network down, a
 * deadlock: isTransient) stays as it is: after the last attempt the job is failed but the re-send pass
 * retries it while its work is undone (an outage longer than the back-off loses nothing). Any other failure
 * (a bug, a constraint) is retried with back-off too, but on the last attempt it becomes an
 * UnrecoverableError: the job then stays failed for operators, and the re-send pass does not bring it back
 * every few minutes for ever (see failedTransiently in @rp/queue).
 */
export function attemptFailure(
  job: { attemptsMade: number; opts: { attempts?: number } },
  err: unknown,
): unknown {
  if (err instanceof UnrecoverableError || err instanceof DelayedError || isTransient(err)) return err;
  const attempts = job.opts.attempts ?? 1;
  if (job.attemptsMade + 1 < attempts) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new UnrecoverableError(`${message} (not transient: left failed after ${attempts} attempts)`);
}
