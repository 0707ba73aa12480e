import { Global, Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { HealthRegistry } from './health-registry';
import { Metrics } from './metrics';

export const LOGGER = Symbol('LOGGER');

/** Shares the process logger and metrics registry with every module. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(logger: Logger, metrics: Metrics): DynamicModule {
    return {
      module: ObservabilityModule,
      providers: [
        { provide: LOGGER, useValue: logger },
        { provide: Metrics, useValue: metrics },
        { provide: HealthRegistry, useValue: new HealthRegistry() },
      ],
      exports: [LOGGER, Metrics, HealthRegistry],
    };
  }
}
