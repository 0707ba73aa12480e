import { ConfigError, loadConfig } from './index';

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
    [{ DEALER_ECONOMICS: '{d1: 3}' }, 'DEALER_ECONOMICS'],
    [{ DEALER_ECONOMICS: '{"d1": {"revenuePerHour": -3}}' }, 'DEALER_ECONOMICS'],
    [{ DEALER_ECONOMICS: '{"d1": {"revenuePerHr": 30}}' }, 'DEALER_ECONOMICS'],
    [{ DEALER_ECONOMICS: '[1]' }, 'DEALER_ECONOMICS'],
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
});
