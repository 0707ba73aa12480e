export { ROLES, type Role } from './config.schema';
export {
  type AppConfig,
  type KafkaConfig,
  type TopicsConfig,
  type IsoConfig,
  type IsoAuthConfig,
  type FollowupsConfig,
  type AlertsConfig,
  type WebhookUrlPolicy,
  inputTopics,
  outputTopics,
  dlqTopic,
} from './app-config';
export { loadConfig, ConfigError } from './load-config';
export { ConfigModule, APP_CONFIG } from './config.module';
