import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@rp/config';
import { LOGGER, Metrics, type Logger } from '@rp/observability';
import { QueueName, REDIS } from '@rp/queue';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { registerOperatorMetrics } from './operator-metrics';

/**
 * /health and /metrics, served by every role (probes and scraping need them on each replica), with the
 * operator gauges of the roles this process runs, read at scrape time.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false, errorLogStyle: 'json' })],
  controllers: [HealthController, MetricsController],
})
export class OpsHttpModule implements OnModuleInit, OnApplicationShutdown {
  /** Read-only handles on the followups role's queues (job counts), on the shared Redis connection. */
  private readonly queues = new Map<string, Queue>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    const names = [QueueName.Followups, QueueName.Alerts];
    registerOperatorMetrics({
      config: this.config,
      ds: this.ds,
      metrics: this.metrics,
      queues: {
        names,
        counts: (name) => this.queue(name).getJobCounts('waiting', 'active', 'delayed', 'failed'),
      },
      onError: (source, err) => this.logger.warn({ source, err: err.message }, 'metrics source failed'),
    });
  }

  private queue(name: string): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.redis, prefix: this.config.redis.queuePrefix });
      // Without a listener BullMQ prints the error raw on stderr (not JSON) while Redis is away; /health and
      // rp_metrics_scrape_errors_total already report that.
      q.on('error', (err: Error) =>
        this.logger.debug({ err: err.message, queue: name }, 'metrics queue error'),
      );
      this.queues.set(name, q);
    }
    return q;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
  }
}
