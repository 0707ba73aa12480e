import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '@rp/config';
import { LOGGER, type Logger } from '@rp/observability';
import { createRedis } from './redis';

export const REDIS = Symbol('REDIS');

/** Provides the shared (non-blocking) Redis connection; queues and workers build on it. */
@Global()
@Module({})
export class QueueModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  static forRoot(): DynamicModule {
    return {
      module: QueueModule,
      providers: [
        {
          provide: REDIS,
          inject: [APP_CONFIG, LOGGER],
          useFactory: (c: AppConfig, logger: Logger) => {
            const redis = createRedis(c.redis.url, { connectionName: 'rp-shared' });
            redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis connection error'));
            return redis;
          },
        },
      ],
      exports: [REDIS],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
