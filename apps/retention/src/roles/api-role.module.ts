import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { LOGGER, type Logger } from '@rp/observability';

/** The `api` role: REST API and the service managers' web inbox. */
@Module({})
export class ApiRoleModule implements OnApplicationBootstrap {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  onApplicationBootstrap(): void {
    this.logger.info({ role: 'api' }, 'role started');
  }
}
