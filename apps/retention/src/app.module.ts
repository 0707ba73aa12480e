import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { ConfigModule, type AppConfig, type Role } from '@rp/config';
import { DatabaseModule } from '@rp/database';
import { KafkaModule } from '@rp/kafka';
import { Metrics, ObservabilityModule, type Logger } from '@rp/observability';
import { QueueModule } from '@rp/queue';
import { OpsHttpModule } from './http/ops-http.module';
import { ApiRoleModule } from './roles/api-role.module';
import { FollowupsRoleModule } from './roles/followups-role.module';
import { IngestRoleModule } from './roles/ingest-role.module';

const ROLE_MODULES: Record<Role, Type> = {
  ingest: IngestRoleModule,
  followups: FollowupsRoleModule,
  api: ApiRoleModule,
};

/** One provider set; the configured roles pick which workers run in this process. */
@Module({})
export class AppModule {
  static register(config: AppConfig, logger: Logger, metrics: Metrics): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ObservabilityModule.forRoot(logger, metrics),
        DatabaseModule.forRoot(),
        KafkaModule.forRoot(),
        QueueModule.forRoot(),
        OpsHttpModule,
        ...config.roles.map((r) => ROLE_MODULES[r]),
      ],
    };
  }
}
