import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import type { Logger } from '@rp/observability';
import {
  assertWorkerReady,
  isFinalFailure,
  QueueName,
  RedisConnections,
  RelayLoop,
  toBulkJob,
  type RelayPass,
} from '@rp/queue';
import type { ScheduleEscalation } from '../jobs/apply-decision';
import { escalationJob } from '../jobs/escalation-job';
import { createProcessor } from '../jobs/processor';
import { reclaimUnapplied, relayDecisions } from '../relay/outbox-relay';
import { rearmEscalations } from '../relay/rearm-escalations';
import type { FollowupSettings } from '../settings';

export interface FollowupsRuntimeOptions {
  ds: DataSource;
  redisUrl: string;
  queuePrefix: string;
  settings: FollowupSettings;
  logger: Logger;
  /** Injected clock for escalations (ms); defaults to the wall clock. */
  clock?: () => number;
  /** Run the outbox relay loop (tests may drive it by hand). */
  relay?: boolean;
}

/**
 * The followups role's moving parts: the outbox relay loop, the BullMQ queue and its worker.
 *
 * BullMQ trap: a worker's blocking connection must have `maxRetriesPerRequest: null` (createRedis does);
 * with a finite value ioredis rejects the pending blocking command during an outage and the worker can
 * stay parked after Redis is back while the process looks healthy. Hence the health probe reads the
 * state of the blocking connection itself, not a ping on a shared one.
 */
export class FollowupsRuntime {
  readonly queue: Queue;
  private worker?: Worker;
  private connections?: RedisConnections;
  private loop?: RelayLoop;
  private readonly clock: () => number;

  constructor(private readonly o: FollowupsRuntimeOptions) {
    this.clock = o.clock ?? Date.now;
    const s = o.settings;
    this.queue = new Queue(QueueName.Followups, {
      connection: this.connection(`rp-followups-queue-${o.queuePrefix}`),
      prefix: o.queuePrefix,
      defaultJobOptions: {
        attempts: s.attempts,
        backoff: { type: 'exponential', delay: s.backoffMs },
        removeOnComplete: { age: 24 * 3600, count: 50_000 },
        // Failed jobs stay for operators (their reason is in failedReason) for 30 days. One that failed
        // transiently while its work is still undone is retried by recover(); see failedTransiently.
        removeOnFail: { age: 30 * 24 * 3600 },
      },
    });
    this.queue.on('error', (err) => o.logger.warn({ err: err.message }, 'followups queue error'));
  }

  /** Adds the delayed escalation job of a task (a no-op if Redis still holds the same id). */
  readonly scheduleEscalation: ScheduleEscalation = async (job) => {
    const { name, data, opts } = toBulkJob(escalationJob(job, this.clock()));
    await this.queue.add(name, data, opts);
  };

  async start(): Promise<void> {
    const { o } = this;
    await this.queue.waitUntilReady();
    this.worker = new Worker(
      QueueName.Followups,
      createProcessor({
        ds: o.ds,
        rules: o.settings.rules,
        clock: this.clock,
        schedule: this.scheduleEscalation,
        logger: o.logger,
      }),
      {
        connection: this.connection(`rp-followups-worker-${o.queuePrefix}`),
        prefix: o.queuePrefix,
        concurrency: o.settings.workerConcurrency,
      },
    );
    this.worker.on('error', (err) => o.logger.error({ err: err.message }, 'followups worker error'));
    this.worker.on('failed', (job, err) => this.onFailed(job, err));
    await this.worker.waitUntilReady();
    if (o.relay !== false) {
      this.loop = new RelayLoop({
        name: 'followups relay',
        logger: o.logger,
        // Decisions the Kafka publisher or the alerts fan-out had locked are looked at again within ms.
        pass: async () => {
          const r = await this.relayOnce();
          return { handled: r.sent, waiting: r.waiting };
        },
        batch: o.settings.relayBatch,
        idleMs: o.settings.relayIdleMs,
        periodic: { everyMs: o.settings.redispatchAfterMs, run: () => this.recover() },
      });
      this.loop.start();
    }
  }

  /** Health probe: the worker runs and its blocking connection is ready. */
  async health(): Promise<Record<string, unknown>> {
    await assertWorkerReady(this.worker, 'followups');
    return { worker: 'ready' };
  }

  /**
   * The `followups-relay` probe: rejects naming the relay and its error after 5 failed passes in a row (or
   * 60 s of failures), a pass running over 120 s, or a decision or suppression waiting over 120 s to be
   * sent to the queue (one scan of outbox_followups_pending_idx).
   */
  relayHealth(): Promise<Record<string, unknown>> {
    if (!this.loop) return Promise.resolve({ relay: 'off' });
    return this.loop.health.check(Date.now(), async () => {
      const rows = await this.o.ds.query<{ age_ms: number }[]>(
        `SELECT (extract(epoch FROM now() - created_at) * 1000)::float8 AS age_ms FROM outbox
          WHERE kind IN ('decision', 'suppression') AND dispatched_at IS NULL ORDER BY id LIMIT 1`,
      );
      return rows.length ? Math.max(0, Number(rows[0].age_ms)) : null;
    });
  }

  /** One relay pass (the loop calls it; tests may too). */
  relayOnce(): Promise<RelayPass> {
    return relayDecisions(this.o.ds, this.queue, this.o.settings.relayBatch);
  }

  /** Runs the next relay pass now, e.g. when new decisions were just committed. */
  wakeRelay(): void {
    this.loop?.wake();
  }

  /**
   * After a possible Redis data loss or a long Postgres outage: sends again decisions never applied
   * (retrying their job if it failed every attempt transiently) and makes sure every open task not yet
   * escalated has a runnable escalation job (the loop runs it every `redispatchAfterMs`).
   */
  async recover(): Promise<void> {
    const { ds, settings, logger } = this.o;
    const reclaimed = await reclaimUnapplied(ds, this.queue, settings.redispatchAfterMs);
    if (reclaimed > 0) {
      logger.warn({ reclaimed }, 'decisions dispatched but never applied: sending again');
      this.loop?.wake();
    }
    const rearmed = await rearmEscalations(ds, this.queue, this.clock());
    if (rearmed.replaced > 0 || rearmed.retried > 0)
      logger.warn(rearmed, 'escalation jobs dead in Redis replaced, or failed transiently and retried');
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
    const detail = { jobId: job?.id, job: job?.name, attemptsMade: job?.attemptsMade, reason: err.message };
    if (final) this.o.logger.error(detail, 'followups job failed permanently');
    else this.o.logger.warn(detail, 'followups job failed; will retry');
  }
}
