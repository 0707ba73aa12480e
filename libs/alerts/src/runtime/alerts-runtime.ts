import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { Logger } from '@rp/observability';
import { assertWorkerReady, isFinalFailure, QueueName, RedisConnections, RelayLoop } from '@rp/queue';
import { createAlertProcessor } from '../jobs/processor';
import { fanOutDecisions } from '../relay/fan-out';
import { enqueueDispatches, reclaimPending } from '../relay/enqueue';
import type { AlertSettings } from '../settings';

export interface AlertsRuntimeOptions {
  ds: DataSource;
  redisUrl: string;
  queuePrefix: string;
  settings: AlertSettings;
  logger: Logger;
  /** Wall clock (ms) for the timestamp header; defaults to Date.now. */
  clock?: () => number;
}

/**
 * Churn alerts beside the followups role, sharing nothing with it but Postgres: its own poll loop
 * (outbox → dispatch rows → BullMQ), its own queue (QueueName.Alerts), its own worker and Redis
 * connections. A slow or dead receiver occupies one of `concurrency` slots for at most `timeoutMs`,
 * then waits out its back-off in the delayed set: tasks and other dealers' alerts go on.
 */
export class AlertsRuntime {
  readonly queue: Queue;
  private worker?: Worker;
  private connections?: RedisConnections;
  private loop?: RelayLoop;

  constructor(private readonly o: AlertsRuntimeOptions) {
    const s = o.settings;
    this.queue = new Queue(QueueName.Alerts, {
      connection: this.connection(`rp-alerts-queue-${o.queuePrefix}`),
      prefix: o.queuePrefix,
      defaultJobOptions: {
        attempts: s.attempts,
        backoff: { type: 'exponential', delay: s.backoffMs, jitter: 0.2 },
        removeOnComplete: { age: 24 * 3600, count: 50_000 },
        removeOnFail: { age: 30 * 24 * 3600 },
      },
    });
    this.queue.on('error', (err) => o.logger.warn({ err: err.message }, 'alerts queue error'));
  }

  async start(): Promise<void> {
    const { o } = this;
    const s = o.settings;
    await this.queue.waitUntilReady();
    this.worker = new Worker(
      QueueName.Alerts,
      createAlertProcessor({
        ds: o.ds,
        timeoutMs: s.timeoutMs,
        allowPrivateTargets: s.allowPrivateTargets,
        logger: o.logger,
        clock: o.clock ?? Date.now,
      }),
      {
        connection: this.connection(`rp-alerts-worker-${o.queuePrefix}`),
        prefix: o.queuePrefix,
        concurrency: s.concurrency,
        // The HTTP deadline bounds a job; the lock must outlive it so a slow attempt is not "stalled".
        lockDuration: Math.max(30_000, 2 * s.timeoutMs + 10_000),
      },
    );
    this.worker.on('error', (err) => o.logger.error({ err: err.message }, 'alerts worker error'));
    this.worker.on('failed', (job, err) => this.onFailed(job, err));
    await this.worker.waitUntilReady();
    this.loop = new RelayLoop({
      name: 'alerts poll',
      logger: o.logger,
      pass: () => this.pollOnce(),
      batch: s.batch,
      idleMs: s.pollIdleMs,
      periodic: { everyMs: s.redispatchAfterMs, run: () => this.reclaim() },
    });
    this.loop.start();
  }

  /** Health probe: the worker runs and its blocking connection is ready. */
  async health(): Promise<Record<string, unknown>> {
    await assertWorkerReady(this.worker, 'alerts');
    return { worker: 'ready' };
  }

  /**
   * The `alerts-poll` probe: rejects naming the poll loop and its error after 5 failed passes in a row (or
   * 60 s of failures), a pass running over 120 s, or a decision or escalation waiting over 120 s to be
   * fanned out (one scan of outbox_alert_sources_pending_idx).
   */
  pollHealth(): Promise<Record<string, unknown>> {
    if (!this.loop) return Promise.reject(new Error('alerts poll not started'));
    return this.loop.health.check(Date.now(), async () => {
      const rows = await this.o.ds.query<{ age_ms: number }[]>(
        `SELECT (extract(epoch FROM now() - created_at) * 1000)::float8 AS age_ms FROM outbox
          WHERE kind IN ('decision', 'escalation') AND alerts_scanned_at IS NULL ORDER BY id LIMIT 1`,
      );
      return rows.length ? Math.max(0, Number(rows[0].age_ms)) : null;
    });
  }

  /** One poll pass: fan out new decisions and escalations, then enqueue waiting deliveries. Returns rows handled. */
  async pollOnce(): Promise<number> {
    const { ds, settings } = this.o;
    const fanned = await fanOutDecisions(ds, settings.batch, settings.holdoutShare);
    if (fanned.invalid > 0)
      this.o.logger.warn(
        { invalid: fanned.invalid },
        'decisions or escalations without alert fields skipped',
      );
    const enqueued = await enqueueDispatches(ds, this.queue, settings.batch);
    return Math.max(fanned.scanned, enqueued);
  }

  /** Deliveries enqueued long ago and still pending go out again: Redis may have lost their jobs. */
  async reclaim(): Promise<void> {
    const reclaimed = await reclaimPending(this.o.ds, this.queue, this.o.settings.redispatchAfterMs);
    if (reclaimed > 0) {
      this.o.logger.warn({ reclaimed }, 'alert deliveries still pending: enqueued again');
      this.loop?.wake();
    }
  }

  /** Runs the next poll pass now, e.g. when new decisions were just committed. */
  wake(): void {
    this.loop?.wake();
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
    await this.worker?.close();
    await this.queue.close();
    await this.connections?.closeAll();
  }

  private connection(name: string): Redis {
    this.connections ??= new RedisConnections(this.o.redisUrl, this.o.logger);
    return this.connections.open(name);
  }

  private onFailed(job: Job | undefined, err: Error): void {
    const final = isFinalFailure(job, err);
    // Ids and reasons only: the URL may carry a token and the secret never leaves Postgres.
    const detail = { jobId: job?.id, attemptsMade: job?.attemptsMade, reason: err.message };
    if (final) this.o.logger.error(detail, 'alert delivery failed permanently');
    else this.o.logger.warn(detail, 'alert delivery failed; will retry');
  }
}

/** Builds and starts the alerts runtime (the followups role calls this at boot). */
export async function startAlerts(o: AlertsRuntimeOptions): Promise<AlertsRuntime> {
  const runtime = new AlertsRuntime(o);
  await runtime.start();
  return runtime;
}
