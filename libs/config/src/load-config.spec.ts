import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './index';

const SASL = { KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' };
const ISO_BEARER = { ISO_AUTH: 'bearer', ISO_TOKEN: 't0ken' };
const PROD = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u:p@db:5432/x',
  REDIS_URL: 'redis://redis:6379',
};

describe('loadConfig', () => {
  it('builds defaults that match the local stack', () => {
    const c = loadConfig({});
    expect(c.roles).toEqual(['ingest', 'followups', 'api']);
    expect(c.kafka.brokers).toEqual(['127.0.0.1:59092']);
    expect(c.topics.telematics).toBe('telematics.snapshots');
    expect(c.topics.inputRetentionMs).toBe(-1);
    expect(c.database.schema).toBe('public');
  });

  it('parses roles, brokers and numbers', () => {
    const c = loadConfig({
      ROLES: 'api, ingest',
      KAFKA_BROKERS: 'a:1,b:2',
      TOPIC_PARTITIONS: '12',
      HTTP_PORT: '8080',
    });
    expect(c.roles).toEqual(['api', 'ingest']);
    expect(c.kafka.brokers).toEqual(['a:1', 'b:2']);
    expect(c.topics.partitions).toBe(12);
    expect(c.http.port).toBe(8080);
  });

  it('leaves follow-up and alert settings unset by default, with a closed webhook URL policy', () => {
    const c = loadConfig({});
    expect(c.followups).toEqual({});
    expect(c.alerts).toEqual({
      webhookUrls: { allowHttp: false, allowPrivateTargets: false, allowedHosts: [] },
    });
    expect(c.queueDashboard).toEqual({ readOnly: false });
    expect(c.dealerEconomics).toEqual({});
  });

  it('parses FOLLOWUP_*, ALERT_* and QUEUE_DASHBOARD_READ_ONLY', () => {
    const c = loadConfig({
      FOLLOWUP_COOLDOWN_DAYS: '45',
      FOLLOWUP_HOLDOUT_SHARE: '0.05',
      FOLLOWUP_REDISPATCH_AFTER_MS: '120000',
      FOLLOWUP_WORKER_CONCURRENCY: '4',
      FOLLOWUP_ATTEMPTS: '20',
      FOLLOWUP_BACKOFF_MS: '5000',
      ALERT_TIMEOUT_MS: '2000',
      ALERT_ATTEMPTS: '3',
      ALERT_BACKOFF_MS: '250',
      ALERT_CONCURRENCY: '8',
      ALERT_REDISPATCH_AFTER_MS: '600000',
      ALERT_ALLOW_HTTP: 'true',
      ALERT_ALLOW_PRIVATE_TARGETS: '1',
      ALERT_WEBHOOK_ALLOWED_HOSTS: ' *.Dealer.example, hooks.example.com ,',
      QUEUE_DASHBOARD_READ_ONLY: 'true',
    });
    expect(c.followups).toEqual({
      cooldownDays: 45,
      holdoutShare: 0.05,
      redispatchAfterMs: 120_000,
      workerConcurrency: 4,
      attempts: 20,
      backoffMs: 5000,
    });
    expect(c.alerts).toEqual({
      timeoutMs: 2000,
      attempts: 3,
      backoffMs: 250,
      concurrency: 8,
      redispatchAfterMs: 600_000,
      webhookUrls: {
        allowHttp: true,
        allowPrivateTargets: true,
        allowedHosts: ['*.dealer.example', 'hooks.example.com'],
      },
    });
    expect(c.queueDashboard.readOnly).toBe(true);
  });

  it.each([
    [{ HTTP_PORT: 'eighty' }, 'HTTP_PORT'],
    [{ HTTP_PORT: '70000' }, 'HTTP_PORT'],
    [{ KAFKA_BROKERS: 'localhost' }, 'KAFKA_BROKERS'],
    [{ ROLES: 'ingest,cooking' }, 'ROLES'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ TOPIC_SERVICE: 'bad topic!' }, 'TOPIC_SERVICE'],
    [{ KAFKA_SSL: 'yes' }, 'KAFKA_SSL'],
    [{ KAFKA_SASL_MECHANISM: 'plain' }, 'KAFKA_SASL_USERNAME'],
    [{ FOLLOWUP_COOLDOWN_DAYS: '-1' }, 'FOLLOWUP_COOLDOWN_DAYS'],
    [{ FOLLOWUP_ATTEMPTS: '0' }, 'FOLLOWUP_ATTEMPTS'],
    [{ FOLLOWUP_BACKOFF_MS: 'fast' }, 'FOLLOWUP_BACKOFF_MS'],
    [{ FOLLOWUP_COOLDOWN_DAYS: '2.5' }, 'FOLLOWUP_COOLDOWN_DAYS'],
    [{ FOLLOWUP_HOLDOUT_SHARE: '2' }, 'FOLLOWUP_HOLDOUT_SHARE'],
    [{ FOLLOWUP_HOLDOUT_SHARE: 'half' }, 'FOLLOWUP_HOLDOUT_SHARE'],
    [{ FOLLOWUP_REDISPATCH_AFTER_MS: '0' }, 'FOLLOWUP_REDISPATCH_AFTER_MS'],
    [{ FOLLOWUP_WORKER_CONCURRENCY: '1000' }, 'FOLLOWUP_WORKER_CONCURRENCY'],
    [{ ALERT_TIMEOUT_MS: '500000' }, 'ALERT_TIMEOUT_MS'],
    [{ ALERT_ATTEMPTS: '0' }, 'ALERT_ATTEMPTS'],
    [{ ALERT_BACKOFF_MS: 'soon' }, 'ALERT_BACKOFF_MS'],
    [{ ALERT_CONCURRENCY: '-4' }, 'ALERT_CONCURRENCY'],
    [{ ALERT_REDISPATCH_AFTER_MS: '1e-3' }, 'ALERT_REDISPATCH_AFTER_MS'],
    [{ ALERT_ALLOW_HTTP: 'yes' }, 'ALERT_ALLOW_HTTP'],
    [{ ALERT_ALLOW_PRIVATE_TARGETS: 'on' }, 'ALERT_ALLOW_PRIVATE_TARGETS'],
    [{ ALERT_WEBHOOK_ALLOWED_HOSTS: 'https://hooks.example.com' }, 'ALERT_WEBHOOK_ALLOWED_HOSTS'],
    [{ ALERT_WEBHOOK_ALLOWED_HOSTS: 'a.example,*' }, 'ALERT_WEBHOOK_ALLOWED_HOSTS'],
    [{ ALERT_WEBHOOK_ALLOWED_HOSTS: 'x.*.example' }, 'ALERT_WEBHOOK_ALLOWED_HOSTS'],
    [{ QUEUE_DASHBOARD_READ_ONLY: 'maybe' }, 'QUEUE_DASHBOARD_READ_ONLY'],
    [{ RISK_TELEMATICS_EVALUATION_MS: 'hourly' }, 'RISK_TELEMATICS_EVALUATION_MS'],
    [{ RISK_TELEMATICS_EVALUATION_MS: '-1' }, 'RISK_TELEMATICS_EVALUATION_MS'],
    [{ RISK_TELEMATICS_EVALUATION_MS: '172800000' }, 'RISK_TELEMATICS_EVALUATION_MS'],
    [{ RISK_MAX_QUIET_ADVANCE_MS: '0' }, 'RISK_MAX_QUIET_ADVANCE_MS'],
    [{ RISK_MAX_QUIET_ADVANCE_MS: '-604800000' }, 'RISK_MAX_QUIET_ADVANCE_MS'],
    [{ RISK_MAX_QUIET_ADVANCE_MS: 'a week' }, 'RISK_MAX_QUIET_ADVANCE_MS'],
    [{ DEALER_ECONOMICS: '{d1: 3}' }, 'DEALER_ECONOMICS'],
    [{ DEALER_ECONOMICS: '{"d1": {"revenuePerHour": -3}}' }, 'DEALER_ECONOMICS'],
    [{ DEALER_ECONOMICS: '{"d1": {"revenuePerHr": 30}}' }, 'DEALER_ECONOMICS'],
    [{ DEALER_ECONOMICS: '[1]' }, 'DEALER_ECONOMICS'],
    [
      { NODE_ENV: 'production', REDIS_URL: 'redis://r:6379' },
      'DATABASE_URL: required when NODE_ENV=production',
    ],
    [
      { NODE_ENV: 'production', DATABASE_URL: PROD.DATABASE_URL },
      'REDIS_URL: required when NODE_ENV=production',
    ],
    [
      { KAFKA_SASL_MECHANISM: 'plain', ...SASL },
      'KAFKA_SASL_MECHANISM: plain sends KAFKA_SASL_PASSWORD in clear unless KAFKA_SSL=true',
    ],
    [{ KAFKA_SASL_MECHANISM: 'plain', ...SASL, KAFKA_SSL: 'false' }, 'KAFKA_ALLOW_PLAINTEXT_SASL=true'],
    [{ KAFKA_ALLOW_PLAINTEXT_SASL: 'yes' }, 'KAFKA_ALLOW_PLAINTEXT_SASL'],
    [
      { ISO_ENDPOINT_URL: 'http://oem.example.com/Fleet/1', ...ISO_BEARER },
      'ISO_ENDPOINT_URL: http://oem.example.com would send the ISO_AUTH credentials in clear',
    ],
    [
      { ISO_ENDPOINT_URL: 'http://10.0.0.5:8080/Fleet/1', ISO_USERNAME: 'u', ISO_PASSWORD: 'p' },
      'ISO_ALLOW_HTTP=true',
    ],
    [{ ISO_ENDPOINT_URL: 'http://127.example.com/Fleet/1', ISO_TOKEN: 't' }, 'ISO_ENDPOINT_URL'],
    [{ ISO_ALLOW_HTTP: 'sure' }, 'ISO_ALLOW_HTTP'],
    [
      { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' },
      'KAFKA_SSL_CA_FILE: cannot read /nonexistent/ca.pem (ENOENT)',
    ],
    [
      { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: tmpdir() },
      `KAFKA_SSL_CA_FILE: cannot read ${tmpdir()} (EISDIR)`,
    ],
    [
      { RISK_RULESET_FILE: '/nonexistent/rules.json' },
      'RISK_RULESET_FILE: cannot read /nonexistent/rules.json (ENOENT)',
    ],
  ])('rejects %j with an error naming %s', (env, name) => {
    let err: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toContain(name);
  });

  it('evaluates telematics once a day by default; 0 means at every snapshot', () => {
    expect(loadConfig({}).risk.telematicsEvaluationMs).toBe(86_400_000);
    expect(loadConfig({ RISK_TELEMATICS_EVALUATION_MS: '0' }).risk.telematicsEvaluationMs).toBe(0);
    expect(loadConfig({ RISK_TELEMATICS_EVALUATION_MS: '3600000' }).risk.telematicsEvaluationMs).toBe(
      3_600_000,
    );
  });

  it('lets the quiet rule follow the wall clock at most 7 days past the newest event by default', () => {
    expect(loadConfig({}).risk.maxQuietAdvanceMs).toBe(604_800_000);
    expect(loadConfig({ RISK_MAX_QUIET_ADVANCE_MS: '86400000' }).risk.maxQuietAdvanceMs).toBe(86_400_000);
  });

  it('gives a shutdown 25 s by default (below the usual 30 s grace period), at least 1 s', () => {
    expect(loadConfig({}).shutdownTimeoutMs).toBe(25_000);
    expect(loadConfig({ SHUTDOWN_TIMEOUT_MS: '5000' }).shutdownTimeoutMs).toBe(5_000);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: '500' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
    expect(() => loadConfig({ SHUTDOWN_TIMEOUT_MS: 'soon' })).toThrow(/SHUTDOWN_TIMEOUT_MS/);
  });

  it('does not echo secret values in the error', () => {
    expect(() => loadConfig({ KAFKA_SASL_PASSWORD: 's3cret-value' })).toThrow(ConfigError);
    try {
      loadConfig({ KAFKA_SASL_PASSWORD: 's3cret-value' });
    } catch (e) {
      expect((e as Error).message).not.toContain('s3cret-value');
    }
  });

  it.each(['eur', 'EURO', 'E1R', '', 978])(
    'rejects the DEALER_ECONOMICS currency %j, naming the dealer and the rule',
    (currency) => {
      expect(() => loadConfig({ DEALER_ECONOMICS: JSON.stringify({ d1: { currency } }) })).toThrow(
        'DEALER_ECONOMICS.d1.currency: must be a 3-letter upper-case ISO 4217 code such as "EUR"',
      );
    },
  );

  it('takes an ISO 4217 reporting currency per dealer in DEALER_ECONOMICS', () => {
    const c = loadConfig({ DEALER_ECONOMICS: '{"*": {"currency": "EUR"}, "d2": {"currency": "CNY"}}' });
    expect(c.dealerEconomics).toEqual({ '*': { currency: 'EUR' }, d2: { currency: 'CNY' } });
  });

  it('parses DEALER_ECONOMICS per dealer', () => {
    const c = loadConfig({
      DEALER_ECONOMICS:
        '{"*": {"revenuePerHour": 35}, "d1": {"revenuePerHour": 41.5, "fixedExpensesPerDay": 3200}}',
    });
    expect(c.dealerEconomics).toEqual({
      '*': { revenuePerHour: 35 },
      d1: { revenuePerHour: 41.5, fixedExpensesPerDay: 3200 },
    });
  });

  it.each(['staging', 'ci', 'prod', 'test', 'development'])('accepts NODE_ENV=%s and keeps it', (value) => {
    expect(loadConfig({ NODE_ENV: value }).env).toBe(value);
  });

  it('uses the local stack defaults outside production, and the given URLs in production', () => {
    expect(loadConfig({}).database.url).toBe('postgres://retention:retention@127.0.0.1:55432/retention');
    expect(loadConfig({ NODE_ENV: 'staging' }).redis.url).toBe('redis://127.0.0.1:56379');
    const c = loadConfig(PROD);
    expect([c.env, c.database.url, c.redis.url]).toEqual(['production', PROD.DATABASE_URL, PROD.REDIS_URL]);
  });

  it('names both missing URLs in production, and an empty value counts as missing', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATABASE_URL: '' })).toThrow(
      "Invalid configuration:\n  - DATABASE_URL: required when NODE_ENV=production (the default is the local stack's)\n" +
        "  - REDIS_URL: required when NODE_ENV=production (the default is the local stack's)",
    );
  });

  it('accepts SASL/PLAIN over TLS, with the explicit opt-out, and SCRAM without TLS', () => {
    const sasl = { mechanism: 'plain', username: 'u', password: 'p' };
    expect(loadConfig({ KAFKA_SASL_MECHANISM: 'plain', ...SASL, KAFKA_SSL: 'true' }).kafka.sasl).toEqual(
      sasl,
    );
    expect(
      loadConfig({ KAFKA_SASL_MECHANISM: 'plain', ...SASL, KAFKA_ALLOW_PLAINTEXT_SASL: 'true' }).kafka,
    ).toMatchObject({ ssl: false, sasl });
    // SCRAM sends a salted proof, never the password itself.
    expect(loadConfig({ KAFKA_SASL_MECHANISM: 'scram-sha-512', ...SASL }).kafka.sasl?.mechanism).toBe(
      'scram-sha-512',
    );
  });

  it('does not echo the Kafka password or the ISO token when refusing clear-text credentials', () => {
    const env = {
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'u',
      KAFKA_SASL_PASSWORD: 'KAFKA-PW-MARKER',
      ISO_ENDPOINT_URL: 'http://oem.example.com/Fleet/1',
      ISO_TOKEN: 'ISO-TOKEN-MARKER',
    };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (e) {
      expect((e as Error).message).not.toMatch(/MARKER/);
    }
  });

  it.each([
    ['http://127.0.0.1:8080/Fleet/0', {}],
    ['http://localhost/Fleet/0', {}],
    ['http://[::1]:9000/Fleet/0', {}],
    ['https://oem.example.com/Fleet/0', {}],
    ['http://oem.example.com/Fleet/0', { ISO_ALLOW_HTTP: 'true' }],
  ])('accepts ISO credentials with %s %j', (url, extra) => {
    const c = loadConfig({ ISO_ENDPOINT_URL: url, ...ISO_BEARER, ...extra });
    expect(c.iso).toMatchObject({ endpointUrl: url, auth: { kind: 'bearer', token: 't0ken' } });
  });

  it('accepts an http ISO endpoint without credentials', () => {
    expect(loadConfig({ ISO_ENDPOINT_URL: 'http://oem.example.com/Fleet/0' }).iso?.auth).toBeUndefined();
  });

  describe('files named in the configuration', () => {
    let dir: string;
    beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'rp-config-'))));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('accepts readable KAFKA_SSL_CA_FILE and RISK_RULESET_FILE', () => {
      writeFileSync(join(dir, 'ca.pem'), 'PEM');
      writeFileSync(join(dir, 'rules.json'), '{}');
      const c = loadConfig({
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: join(dir, 'ca.pem'),
        RISK_RULESET_FILE: join(dir, 'rules.json'),
      });
      expect([c.kafka.sslCaFile, c.risk.ruleSetFile]).toEqual([join(dir, 'ca.pem'), join(dir, 'rules.json')]);
    });
  });
});
