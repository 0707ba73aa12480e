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

  it('does not echo secret values in the error', () => {
    expect(() => loadConfig({ KAFKA_SASL_PASSWORD: 's3cret-value' })).toThrow(ConfigError);
    try {
      loadConfig({ KAFKA_SASL_PASSWORD: 's3cret-value' });
    } catch (e) {
      expect((e as Error).message).not.toContain('s3cret-value');
    }
  });
});
