import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { APP_CONFIG, inputTopics, type AppConfig } from '@rp/config';
import { KAFKA_ADMIN } from '@rp/kafka';
import { LOGGER, type Logger } from '@rp/observability';

/** The `ingest` role: consumes the input topics into Postgres projections. */
@Module({})
export class IngestRoleModule implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = inputTopics(this.config.topics).filter((t) => !existing.has(t));
    if (missing.length) {
      throw new Error(`ingest: input topics missing: ${missing.join(', ')} (run the "topics" command)`);
    }
    this.logger.info({ role: 'ingest' }, 'role started');
  }
}
