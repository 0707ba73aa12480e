import { Inject, Module, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Queue } from 'bullmq';
import type { Application } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@rp/config';
import { LOGGER, type Logger } from '@rp/observability';
import { QueueName, RedisConnections } from '@rp/queue';
import { createQueueBoard } from './board';
import { operatorGuard } from './operator-guard';
import { QUEUE_BOARD_PATH } from './queue-board-path';
import { SignInController } from './sign-in.controller';

/** The queues operators watch: every BullMQ queue of the pipeline. */
const BOARD_QUEUES = [QueueName.Followups, QueueName.Alerts];

/**
 * Bull Board for platform operators at /admin/queues, behind the operator guard (bearer header or the
 * sign-in cookie). The queues hold every dealer's jobs, so only the `operator` role opens it.
 */
@Module({ controllers: [SignInController] })
export class QueueDashboardModule implements OnModuleInit, OnModuleDestroy {
  private connections?: RedisConnections;
  private queues: Queue[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  // Mounted on the Express instance in onModuleInit: after Nest's routes, before its 404 handler.
  onModuleInit(): void {
    const { url, queuePrefix } = this.config.redis;
    this.connections = new RedisConnections(url, this.logger);
    const connection = this.connections.open('rp-queue-board');
    this.queues = BOARD_QUEUES.map((name) => {
      const q = new Queue(name, { connection, prefix: queuePrefix });
      q.on('error', (err: Error) => this.logger.warn({ err: err.message, queue: name }, 'queue board error'));
      return q;
    });
    const board = createQueueBoard({
      basePath: QUEUE_BOARD_PATH,
      queues: this.queues,
      readOnly: this.config.queueDashboard.readOnly,
    });
    const app = this.adapterHost.httpAdapter.getInstance<Application>();
    app.use(QUEUE_BOARD_PATH, operatorGuard(this.ds, this.logger), board);
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.queues.map((q) => q.close()));
    await this.connections?.closeAll();
  }
}
