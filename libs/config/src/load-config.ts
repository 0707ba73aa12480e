import { envSchema, type Env } from './config.schema';
import type { AppConfig, IsoAuthConfig, IsoConfig } from './app-config';
import { checkReadableFiles, checkTransportSecurity } from './config-policy';

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Validates the environment and builds the typed config; throws ConfigError naming each bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): AppConfig {
  const env = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`),
    );
  }
  return toAppConfig(parsed.data, new Set(Object.keys(env)));
}

function toAppConfig(e: Env, explicit: ReadonlySet<string>): AppConfig {
  const problems: string[] = [];
  const saslParts = [e.KAFKA_SASL_MECHANISM, e.KAFKA_SASL_USERNAME, e.KAFKA_SASL_PASSWORD];
  if (saslParts.some(Boolean) && !saslParts.every(Boolean)) {
    problems.push('KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD: set all three or none');
  }
  if (e.KAFKA_SSL_CA_FILE && !e.KAFKA_SSL) problems.push('KAFKA_SSL_CA_FILE: requires KAFKA_SSL=true');
  checkTransportSecurity(e, explicit, problems);
  checkReadableFiles(e, problems);
  const iso = isoConfig(e, problems);
  if (problems.length) throw new ConfigError(problems);
  return {
    roles: [...new Set(e.ROLES)],
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    http: { host: e.HTTP_HOST, port: e.HTTP_PORT },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    kafka: {
      brokers: e.KAFKA_BROKERS,
      clientId: e.KAFKA_CLIENT_ID,
      groupId: e.KAFKA_GROUP_ID,
      ssl: e.KAFKA_SSL,
      sslCaFile: e.KAFKA_SSL_CA_FILE,
      sasl: e.KAFKA_SASL_MECHANISM
        ? {
            mechanism: e.KAFKA_SASL_MECHANISM,
            username: e.KAFKA_SASL_USERNAME!,
            password: e.KAFKA_SASL_PASSWORD!,
          }
        : undefined,
    },
    topics: {
      telematics: e.TOPIC_TELEMATICS,
      warranty: e.TOPIC_WARRANTY,
      service: e.TOPIC_SERVICE,
      decisions: e.TOPIC_DECISIONS,
      outcomes: e.TOPIC_OUTCOMES,
      partitions: e.TOPIC_PARTITIONS,
      replicationFactor: e.TOPIC_REPLICATION_FACTOR,
      inputRetentionMs: e.TOPIC_INPUT_RETENTION_MS,
      inputMaxMessageBytes: e.TOPIC_INPUT_MAX_MESSAGE_BYTES,
    },
    database: {
      url: e.DATABASE_URL,
      schema: e.DATABASE_SCHEMA,
      poolSize: e.DATABASE_POOL_SIZE,
      migrateOnBoot: e.MIGRATE_ON_BOOT,
    },
    redis: { url: e.REDIS_URL, queuePrefix: e.QUEUE_PREFIX },
    queueDashboard: { readOnly: e.QUEUE_DASHBOARD_READ_ONLY },
    dealerEconomics: e.DEALER_ECONOMICS ?? {},
    followups: defined({
      cooldownDays: e.FOLLOWUP_COOLDOWN_DAYS,
      holdoutShare: e.FOLLOWUP_HOLDOUT_SHARE,
      redispatchAfterMs: e.FOLLOWUP_REDISPATCH_AFTER_MS,
      workerConcurrency: e.FOLLOWUP_WORKER_CONCURRENCY,
      attempts: e.FOLLOWUP_ATTEMPTS,
      backoffMs: e.FOLLOWUP_BACKOFF_MS,
    }),
    alerts: {
      ...defined({
        timeoutMs: e.ALERT_TIMEOUT_MS,
        attempts: e.ALERT_ATTEMPTS,
        backoffMs: e.ALERT_BACKOFF_MS,
        concurrency: e.ALERT_CONCURRENCY,
        redispatchAfterMs: e.ALERT_REDISPATCH_AFTER_MS,
      }),
      webhookUrls: {
        allowHttp: e.ALERT_ALLOW_HTTP,
        allowPrivateTargets: e.ALERT_ALLOW_PRIVATE_TARGETS,
        allowedHosts: e.ALERT_WEBHOOK_ALLOWED_HOSTS ?? [],
      },
    },
    ingest: { concurrency: e.INGEST_CONCURRENCY, maxFutureSkewMs: e.INGEST_MAX_FUTURE_SKEW_MS },
    risk: {
      enabled: e.RISK_ENABLED,
      ruleSetFile: e.RISK_RULESET_FILE,
      allowedLatenessMs: e.RISK_ALLOWED_LATENESS_MS,
      telematicsEvaluationMs: e.RISK_TELEMATICS_EVALUATION_MS,
      quietMs: e.RISK_QUIET_MS,
      maxQuietAdvanceMs: e.RISK_MAX_QUIET_ADVANCE_MS,
    },
    ...(iso && { iso }),
  };
}

/** The optional ISO 15143-3 section: absent unless an ISO_* variable (other than the interval) is set. */
function isoConfig(e: Env, problems: string[]): IsoConfig | undefined {
  const given = [
    e.ISO_ENDPOINT_URL,
    e.ISO_AUTH,
    e.ISO_TOKEN,
    e.ISO_USERNAME,
    e.ISO_PASSWORD,
    e.ISO_DEALER_ID,
  ];
  if (!given.some(Boolean)) return undefined;
  let kind = e.ISO_AUTH;
  if (!kind && e.ISO_TOKEN && (e.ISO_USERNAME || e.ISO_PASSWORD)) {
    problems.push('ISO_AUTH: set bearer or basic (both ISO_TOKEN and ISO_USERNAME/ISO_PASSWORD are set)');
  } else if (!kind) {
    kind = e.ISO_TOKEN ? 'bearer' : e.ISO_USERNAME || e.ISO_PASSWORD ? 'basic' : undefined;
  }
  let auth: IsoAuthConfig | undefined;
  if (kind === 'bearer') {
    if (e.ISO_TOKEN) auth = { kind, token: e.ISO_TOKEN };
    else problems.push('ISO_TOKEN: required when ISO_AUTH=bearer');
  } else if (kind === 'basic') {
    if (e.ISO_USERNAME && e.ISO_PASSWORD) auth = { kind, username: e.ISO_USERNAME, password: e.ISO_PASSWORD };
    else problems.push('ISO_USERNAME, ISO_PASSWORD: both required when ISO_AUTH=basic');
  }
  return {
    ...(e.ISO_ENDPOINT_URL && { endpointUrl: e.ISO_ENDPOINT_URL }),
    ...(auth && { auth }),
    pollIntervalMs: e.ISO_POLL_INTERVAL_MS,
    ...(e.ISO_DEALER_ID && { dealerId: e.ISO_DEALER_ID }),
  };
}

/** Drops unset fields, so `{ ...defaults, ...overrides }` keeps the defaults. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
