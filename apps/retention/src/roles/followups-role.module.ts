import { Inject, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { alertSettings, startAlerts, type AlertsRuntime } from '@rp/alerts';
import { APP_CONFIG, type AppConfig } from '@rp/config';
import { listenOutbox, type OutboxListener } from '@rp/database';
import { FollowupsRuntime, followupSettings } from '@rp/followups';
import { HealthRegistry, LOGGER, type Logger } from '@rp/observability';
import { REDIS } from '@rp/queue';

/** The `followups` role: outbox relay and BullMQ workers that turn decisions into tasks. */
@Module({})
export class FollowupsRoleModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private runtime?: FollowupsRuntime;
  private alerts?: AlertsRuntime;
  private listener?: OutboxListener;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly health: HealthRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // BullMQ needs noeviction: a queue whose keys can be evicted silently loses jobs.
    const policy = (await this.redis.config('GET', 'maxmemory-policy')) as string[];
    if (policy[1] !== 'noeviction') {
      this.logger.warn(
        { policy: policy[1] },
        'Redis maxmemory-policy is not noeviction: BullMQ may lose jobs',
      );
    }
    // FOLLOWUP_* and ALERT_* were validated with the rest of the config at boot.
    const settings = followupSettings(this.config.followups);
    this.runtime = new FollowupsRuntime({
      ds: this.ds,
      redisUrl: this.config.redis.url,
      queuePrefix: this.config.redis.queuePrefix,
      settings,
      logger: this.logger,
    });
    this.health.register('followups', () =>
      this.runtime ? this.runtime.health() : Promise.reject(new Error('followups not started')),
    );
    await this.runtime.start();
    // The relay loop failing, hung or behind: down, naming it and its error.
    const runtime = this.runtime;
    this.health.register('followups-relay', () => runtime.relayHealth());
    // Churn alerts: own queue, worker and poll loop, so a dead receiver never delays tasks.
    const { redis: r } = this.config;
    this.alerts = await startAlerts({
      ds: this.ds,
      redisUrl: r.url,
      queuePrefix: r.queuePrefix,
      settings: alertSettings(this.config.alerts, this.config.followups),
      logger: this.logger,
    });
    this.health.register('alerts', () =>
      this.alerts ? this.alerts.health() : Promise.reject(new Error('alerts not started')),
    );
    const alerts = this.alerts;
    this.health.register('alerts-poll', () => alerts.pollHealth());
    // Committed outbox rows wake both relays at once (Postgres NOTIFY); they still poll as a fallback.
    this.listener = listenOutbox(
      this.config.database.url,
      this.config.database.schema,
      () => {
        this.runtime?.wakeRelay();
        this.alerts?.wake();
      },
      this.logger,
    );
    this.logger.info(
      {
        role: 'followups',
        cooldownDays: settings.rules.cooldownDays,
        holdoutShare: settings.rules.holdoutShare,
      },
      'role started',
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.listener?.close();
    await this.alerts?.stop();
    await this.runtime?.stop();
  }
}
