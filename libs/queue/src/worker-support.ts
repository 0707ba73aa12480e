import { UnrecoverableError, type Job, type Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRedis } from './redis';

type WarnLogger = { warn: (obj: object, msg: string) => void };

/**
 * Redis connections of one runtime: created for BullMQ (blocking-safe), their errors logged without
 * payloads, all closed together.
 */
export class RedisConnections {
  private readonly all: Redis[] = [];
  constructor(
    private readonly url: string,
    private readonly logger: WarnLogger,
  ) {}

  open(name: string): Redis {
    const c = createRedis(this.url, { connectionName: name });
    c.on('error', (err: Error) =>
      this.logger.warn({ err: err.message, connection: name }, 'redis connection error'),
    );
    this.all.push(c);
    return c;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.all.map((c) => c.quit().catch(() => c.disconnect())));
  }
}

/**
 * Throws unless the worker runs and its blocking connection is ready. A ping on another connection is
 * not enough: after a Redis outage a worker can stay parked on a dead blocking connection.
 */
export async function assertWorkerReady(worker: Worker | undefined, what: string): Promise<void> {
  if (!worker || !worker.isRunning()) throw new Error(`${what} worker not running`);
  const blocking = await (worker.backend as { blockingClient?: Promise<{ status: string }> }).blockingClient;
  const status = blocking?.status ?? 'missing';
  if (status !== 'ready') throw new Error(`${what} worker blocking connection ${status}`);
}

/** A failed job will not be retried: unrecoverable, or out of attempts. */
export function isFinalFailure(job: Job | undefined, err: Error): boolean {
  return (
    err instanceof UnrecoverableError ||
    err.name === 'UnrecoverableError' ||
    (job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1))
  );
}
