import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ApiModule } from '@rp/api';
import { LOGGER, type Logger } from '@rp/observability';

/** The `api` role: REST API, the service managers' web inbox, and outcomes published to Kafka. */
@Module({ imports: [ApiModule] })
export class ApiRoleModule implements OnApplicationBootstrap {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  onApplicationBootstrap(): void {
    this.logger.info({ role: 'api', inbox: '/inbox', openApi: '/api/docs-json' }, 'role started');
  }
}
