import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Admin } from 'kafkajs';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { pingPostgres } from '@rp/database';
import { KAFKA_ADMIN, pingKafka } from '@rp/kafka';
import { HealthRegistry, withTimeout } from '@rp/observability';
import { REDIS, pingRedis } from '@rp/queue';

const CHECK_TIMEOUT_MS = 2500;

/** GET /health: really asks Postgres, Redis and Kafka; 503 names the one that is down. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    private readonly registry: HealthRegistry,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([
      () => this.probe('postgres', () => pingPostgres(this.ds)),
      () => this.probe('redis', () => pingRedis(this.redis)),
      () => this.probe('kafka', () => pingKafka(this.admin)),
      ...this.registry.entries().map(
        ([name, fn]) =>
          () =>
            this.probe(name, fn),
      ),
    ]);
  }

  private async probe<K extends string>(key: K, fn: () => Promise<unknown>) {
    const session = this.indicators.check(key);
    try {
      const info = await withTimeout(fn(), CHECK_TIMEOUT_MS, key);
      return session.up(typeof info === 'object' && info !== null ? (info as Record<string, unknown>) : {});
    } catch (err) {
      return session.down({ message: err instanceof Error ? err.message : String(err) });
    }
  }
}
