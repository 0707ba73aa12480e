export { createLogger, errSerializer, PinoNestLogger, REDACT_PATHS } from './logger';
export { Metrics } from './metrics';
export { HealthRegistry, type HealthProbe } from './health-registry';
export { ObservabilityModule, LOGGER } from './observability.module';
export { withTimeout } from './with-timeout';
export type { Logger } from 'pino';
export {
  errorMessage,
  FailureStreak,
  LoopHealth,
  type FailureStreakOptions,
  type LoopHealthOptions,
  type LoopLogger,
} from './loop-health';
