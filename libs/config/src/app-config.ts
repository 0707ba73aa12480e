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
  /** max.message.bytes of input topics; DLQ topics get 16 KiB more (room for the dead-letter headers). */
  inputMaxMessageBytes: number;
}

/** Credentials for the OEM's ISO 15143-3 endpoint; never logged. */
export type IsoAuthConfig =
  { kind: 'bearer'; token: string } | { kind: 'basic'; username: string; password: string };

/** The OEM's ISO 15143-3 fleet endpoint (`iso-import`); present only when an ISO_* variable is set. */
export interface IsoConfig {
  endpointUrl?: string;
  auth?: IsoAuthConfig;
  pollIntervalMs: number;
  /** Default tenant of imported snapshots (`--dealer` overrides it). */
  dealerId?: string;
}

/** Overrides of the follow-up settings (FOLLOWUP_*); unset fields keep the followups lib's defaults. */
export interface FollowupsConfig {
  cooldownDays?: number;
  holdoutShare?: number;
  redispatchAfterMs?: number;
  workerConcurrency?: number;
  /** Attempts of a follow-up job before it fails (it is sent again once the outage is over) and the first back-off. */
  attempts?: number;
  backoffMs?: number;
}

/** Which webhook URLs a dealer may subscribe (SSRF protection). */
export interface WebhookUrlPolicy {
  /** Accept http:// as well as https:// (local receivers, tests). */
  allowHttp: boolean;
  /** Accept loopback, private, link-local and other non-public IP literals and `localhost`. */
  allowPrivateTargets: boolean;
  /** Lower-case host names or `*.suffix` patterns; empty = any host. */
  allowedHosts: string[];
}

/** Overrides of the alert delivery settings (ALERT_*) and the webhook URL policy. */
export interface AlertsConfig {
  timeoutMs?: number;
  attempts?: number;
  backoffMs?: number;
  concurrency?: number;
  redispatchAfterMs?: number;
  webhookUrls: WebhookUrlPolicy;
}

/** The one typed configuration object, built and validated at boot. */
export interface AppConfig {
  roles: Role[];
  /** NODE_ENV, any value; `production` requires DATABASE_URL and REDIS_URL to be set. */
  env: string;
  logLevel: string;
  http: { host: string; port: number };
  /** How long a SIGTERM/SIGINT drain may take before the process gives up and exits 124. */
  shutdownTimeoutMs: number;
  kafka: KafkaConfig;
  topics: TopicsConfig;
  database: { url: string; schema: string; poolSize: number; migrateOnBoot: boolean };
  redis: { url: string; queuePrefix: string };
  /** Bull Board for operators (api role); read-only hides retry, clean, pause and the other actions. */
  queueDashboard: { readOnly: boolean };
  /** Per-dealer economics of the retention metrics ("*": dealers not named); a figure left out stays unknown. */
  dealerEconomics: Record<
    string,
    {
      revenuePerHour?: number;
      fixedExpensesPerDay?: number;
      /** ISO 4217 reporting currency of value at risk and CLV (tasks, customer records); unset: null. */
      currency?: string;
    }
  >;
  followups: FollowupsConfig;
  alerts: AlertsConfig;
  /** Partitions consumed concurrently per process; events more than maxFutureSkewMs ahead are rejected. */
  ingest: { concurrency: number; maxFutureSkewMs: number };
  /** Detection in the ingest transaction: rule-set document, allowed lateness, quiet period before wall-clock time. */
  risk: {
    enabled: boolean;
    ruleSetFile?: string;
    allowedLatenessMs: number;
    /** Period of a machine's telematics evaluations (event time); 0 = at every snapshot. */
    telematicsEvaluationMs: number;
    quietMs: number;
    /** The quiet rule follows the wall clock at most this far past the newest event read. */
    maxQuietAdvanceMs: number;
  };
  iso?: IsoConfig;
}

export const inputTopics = (t: TopicsConfig): string[] => [t.telematics, t.warranty, t.service];
export const outputTopics = (t: TopicsConfig): string[] => [t.decisions, t.outcomes];
export const dlqTopic = (source: string): string => `${source}.dlq`;
