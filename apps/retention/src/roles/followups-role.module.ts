import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { LOGGER, type Logger } from '@rp/observability';
import { REDIS } from '@rp/queue';

/** The `followups` role: outbox relay and BullMQ workers. */
@Module({})
export class FollowupsRoleModule implements OnApplicationBootstrap {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
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
    this.logger.info({ role: 'followups' }, 'role started');
  }
}
