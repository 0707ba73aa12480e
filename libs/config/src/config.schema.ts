import { z } from 'zod';

export const ROLES = ['ingest', 'followups', 'api'] as const;
export type Role = (typeof ROLES)[number];

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const topicName = z
  .string()
  .regex(/^[a-zA-Z0-9._-]{1,200}$/, 'must be a Kafka topic name ([a-zA-Z0-9._-], 1-200 chars)');
const hostPortList = z
  .string()
  .min(1)
  .transform((s) =>
    s
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  )
  .refine(
    (list) => list.length > 0 && list.every((b) => /^[^\s:]+:\d{1,5}$/.test(b)),
    'must be a comma-separated list of host:port',
  );
/** A host name or IP literal, optionally `*.` + host name (any subdomain). */
const HOST_PATTERN =
  /^(\*\.)?(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const url = (protocols: string[]) =>
  z.string().refine(
    (s) => {
      try {
        return protocols.includes(new URL(s).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL with scheme ${protocols.join(' or ')}`,
  );

/** Environment variables the process reads, with defaults that match scripts/stack.sh. */
export const envSchema = z.object({
  ROLES: z
    .string()
    .default('ingest,followups,api')
    .transform((s) =>
      s
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(ROLES), { error: `each role must be one of ${ROLES.join(', ')}` }).min(1)),
  // Any value (staging, ci, …); only `production` changes anything: DATABASE_URL and REDIS_URL become required.
  NODE_ENV: z.string().min(1).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: port.default(3000),
  // SIGTERM/SIGINT: a drain not finished within this exits 124 (below Kubernetes' 30 s default grace period).
  SHUTDOWN_TIMEOUT_MS: positiveInt.min(1000).max(3_600_000).default(25_000),

  KAFKA_BROKERS: hostPortList.default(['127.0.0.1:59092']),
  KAFKA_CLIENT_ID: z.string().min(1).max(100).default('retention-pipeline'),
  KAFKA_GROUP_ID: z.string().min(1).max(200).default('retention-ingest'),
  KAFKA_SSL: bool.default(false),
  KAFKA_SSL_CA_FILE: z.string().min(1).optional(),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  // SASL/PLAIN without TLS sends the password in clear: refused unless accepted explicitly.
  KAFKA_ALLOW_PLAINTEXT_SASL: bool.default(false),
  TOPIC_TELEMATICS: topicName.default('telematics.snapshots'),
  TOPIC_WARRANTY: topicName.default('warranty.events'),
  TOPIC_SERVICE: topicName.default('service.events'),
  TOPIC_DECISIONS: topicName.default('retention.decisions'),
  TOPIC_OUTCOMES: topicName.default('followup.outcomes'),
  TOPIC_PARTITIONS: positiveInt.max(1000).default(6),
  TOPIC_REPLICATION_FACTOR: positiveInt.max(10).default(1),
  TOPIC_INPUT_RETENTION_MS: z.coerce.number().int().min(-1).default(-1),
  // Above the contract's 1 MiB so an oversize event reaches the pipeline and is dead-lettered with a reason.
  TOPIC_INPUT_MAX_MESSAGE_BYTES: positiveInt.min(1_048_576).default(2_097_152),
  INGEST_CONCURRENCY: positiveInt.max(64).default(16),
  INGEST_MAX_FUTURE_SKEW_MS: positiveInt.default(86_400_000),
  RISK_ENABLED: bool.default(true),
  RISK_RULESET_FILE: z.string().min(1).optional(),
  RISK_ALLOWED_LATENESS_MS: z.coerce.number().int().min(0).default(3_600_000),
  RISK_TELEMATICS_EVALUATION_MS: z.coerce.number().int().min(0).max(86_400_000).default(86_400_000),
  RISK_QUIET_MS: positiveInt.default(30_000),
  // The quiet rule follows the wall clock at most this far past the newest event read (7 days).
  RISK_MAX_QUIET_ADVANCE_MS: positiveInt.default(604_800_000),

  DATABASE_URL: url(['postgres:', 'postgresql:']).default(
    'postgres://retention:retention@127.0.0.1:55432/retention',
  ),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier')
    .default('public'),
  DATABASE_POOL_SIZE: positiveInt.max(200).default(20),
  MIGRATE_ON_BOOT: bool.default(true),

  // Follow-up tasks and churn alerts. Unset = the lib's default (DEFAULT_FOLLOWUP_SETTINGS / DEFAULT_ALERT_SETTINGS).
  FOLLOWUP_COOLDOWN_DAYS: z.coerce.number().int().min(0).max(3650).optional(),
  FOLLOWUP_HOLDOUT_SHARE: z.coerce.number().min(0).max(1).optional(),
  FOLLOWUP_REDISPATCH_AFTER_MS: positiveInt.optional(),
  FOLLOWUP_WORKER_CONCURRENCY: positiveInt.max(256).optional(),
  FOLLOWUP_ATTEMPTS: positiveInt.max(50).optional(),
  FOLLOWUP_BACKOFF_MS: positiveInt.max(3_600_000).optional(),
  ALERT_TIMEOUT_MS: positiveInt.max(120_000).optional(),
  ALERT_ATTEMPTS: positiveInt.max(50).optional(),
  ALERT_BACKOFF_MS: positiveInt.max(3_600_000).optional(),
  ALERT_CONCURRENCY: positiveInt.max(256).optional(),
  ALERT_REDISPATCH_AFTER_MS: positiveInt.optional(),
  // Webhook URL policy (SSRF): https only, public targets only, unless switched off (tests use loopback).
  ALERT_ALLOW_HTTP: bool.default(false),
  ALERT_ALLOW_PRIVATE_TARGETS: bool.default(false),
  ALERT_WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    )
    .refine(
      (list) => list.every((h) => HOST_PATTERN.test(h)),
      'must be a comma-separated list of host names, each optionally starting with "*." (e.g. *.dealer.example,hooks.example.com)',
    )
    .optional(),

  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:56379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,50}$/, 'must be 1-50 chars of [a-zA-Z0-9_-]')
    .default('rp'),
  QUEUE_DASHBOARD_READ_ONLY: bool.default(false),

  // Per-dealer economics behind GET /api/v1/metrics/retention (capture and absorption rates) and the reporting
  // currency of value at risk / CLV in tasks and customer records, as JSON:
  // {"<dealerId>" | "*": {"revenuePerHour": n, "fixedExpensesPerDay": n, "currency": "EUR"}}; "*" applies to
  // dealers not named.
  DEALER_ECONOMICS: z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(
      z.record(
        z.string().min(1).max(64),
        z.strictObject({
          revenuePerHour: z.number().positive().optional(),
          fixedExpensesPerDay: z.number().positive().optional(),
          currency: z
            .string({ error: 'must be a 3-letter upper-case ISO 4217 code such as "EUR"' })
            .regex(/^[A-Z]{3}$/, 'must be a 3-letter upper-case ISO 4217 code such as "EUR"')
            .optional(),
        }),
        {
          error:
            'must map dealer ids (or "*") to {"revenuePerHour": n > 0, "fixedExpensesPerDay": n > 0, "currency": "EUR"} (all optional)',
        },
      ),
    )
    .optional(),

  // ISO 15143-3 (AEMP 2.0) fleet endpoint of an OEM, polled by `iso-import --poll`; all optional.
  ISO_ENDPOINT_URL: url(['http:', 'https:'])
    .refine(
      (s) => !/^[a-z]+:\/\/[^/?#]*@/i.test(s),
      'must not carry credentials (use ISO_AUTH with ISO_TOKEN or ISO_USERNAME and ISO_PASSWORD)',
    )
    .optional(),
  ISO_AUTH: z.enum(['bearer', 'basic']).optional(),
  ISO_TOKEN: z.string().min(1).optional(),
  ISO_USERNAME: z.string().min(1).optional(),
  ISO_PASSWORD: z.string().min(1).optional(),
  // Credentials over http:// to a host other than loopback are refused unless accepted explicitly.
  ISO_ALLOW_HTTP: bool.default(false),
  ISO_POLL_INTERVAL_MS: positiveInt.min(1000).default(900_000),
  ISO_DEALER_ID: z.string().min(1).max(64).optional(),
});

export type Env = z.output<typeof envSchema>;
