import type { Role } from './config.schema';

export interface KafkaConfig {
  brokers: string[];
  clientId: string;
  groupId: string;
  ssl: boolean;
  sslCaFile?: string;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}

export interface TopicsConfig {
  telematics: string;
  warranty: string;
  service: string;
  decisions: string;
  outcomes: string;
  partitions: number;
  replicationFactor: number;
  /** retention.ms of input topics; -1 keeps history forever (data teams replay it). */
  inputRetentionMs: number;
}

/** The one typed configuration object, built and validated at boot. */
export interface AppConfig {
  roles: Role[];
  env: 'development' | 'production' | 'test';
  logLevel: string;
  http: { host: string; port: number };
  kafka: KafkaConfig;
  topics: TopicsConfig;
  database: { url: string; schema: string; poolSize: number; migrateOnBoot: boolean };
  redis: { url: string; queuePrefix: string };
}

export const inputTopics = (t: TopicsConfig): string[] => [t.telematics, t.warranty, t.service];
export const outputTopics = (t: TopicsConfig): string[] => [t.decisions, t.outcomes];
export const dlqTopic = (source: string): string => `${source}.dlq`;
