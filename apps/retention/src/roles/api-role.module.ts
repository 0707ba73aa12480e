import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ApiModule, QUEUE_BOARD_PATH, QueueDashboardModule } from '@rp/api';
import { LOGGER, type Logger } from '@rp/observability';

/**
 * The `api` role: REST API, the service managers' web inbox, outcomes published to Kafka, and the queue
 * dashboard for platform operators.
 */
@Module({ imports: [ApiModule, QueueDashboardModule] })
export class ApiRoleModule implements OnApplicationBootstrap {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  onApplicationBootstrap(): void {
    this.logger.info(
      { role: 'api', inbox: '/inbox', openApi: '/api/docs-json', queueDashboard: QUEUE_BOARD_PATH },
      'role started',
    );
  }
}
