import { randomBytes } from 'node:crypto';
import { loadConfig, type AppConfig } from '@rp/config';

/** A short unique suffix so each test file gets its own topics, schema, queues and consumer group. */
export const uniqueSuffix = (): string => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;

/** Env vars giving a test its own isolated topics, schema, queue prefix and group, on the local stack. */
export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const s = uniqueSuffix();
  return {
    DATABASE_SCHEMA: `t_${s}`,
    KAFKA_GROUP_ID: `g-${s}`,
    KAFKA_CLIENT_ID: `test-${s}`,
    TOPIC_TELEMATICS: `telematics.snapshots.${s}`,
    TOPIC_WARRANTY: `warranty.events.${s}`,
    TOPIC_SERVICE: `service.events.${s}`,
    TOPIC_DECISIONS: `retention.decisions.${s}`,
    TOPIC_OUTCOMES: `followup.outcomes.${s}`,
    TOPIC_PARTITIONS: '3',
    QUEUE_PREFIX: `t${s}`,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

export function testConfig(extra: Record<string, string> = {}): AppConfig {
  return loadConfig({ ...pickStackEnv(), ...isolatedEnv(extra) });
}

/** Connection settings may be overridden for the whole run (e.g. another stack's ports). */
function pickStackEnv(): Record<string, string | undefined> {
  const keys = ['KAFKA_BROKERS', 'DATABASE_URL', 'REDIS_URL'];
  return Object.fromEntries(keys.map((k) => [k, process.env[k]]));
}
