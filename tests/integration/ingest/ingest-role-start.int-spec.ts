import { Kafka, logLevel, type Admin, type ConsumerConfig, type ProducerConfig } from 'kafkajs';
import { inputTopics } from '@rp/config';
import { createDataSource } from '@rp/database';
import { createKafka, ensureTopics, topicSpecs } from '@rp/kafka';
import { HealthRegistry, Metrics, type Logger } from '@rp/observability';
import { IngestRoleModule } from '../../../apps/retention/src/roles/ingest-role.module';
import { testConfig, waitFor } from '../../support';
import { brokerForwarder, type BrokerForwarder } from './broker-forwarder';

interface LogLine {
  level: string;
  fields: Record<string, unknown>;
  msg: string;
}

/** What the ingest role checks at start-up, and how it keeps starting its consumer while Kafka is away. */
describe('ingest role start-up (real Kafka)', () => {
  let kafka: Kafka;
  let admin: Admin;
  let forwarder: BrokerForwarder;

  beforeAll(async () => {
    kafka = createKafka(testConfig().kafka);
    admin = kafka.admin();
    await admin.connect();
  });
  beforeEach(async () => {
    forwarder = await brokerForwarder(testConfig().kafka.brokers[0]);
  });
  afterEach(() => forwarder.close());
  afterAll(() => admin.disconnect());

  /** The role with its producer on the real broker and its consumer behind the forwarder. */
  function role(config = testConfig({ RISK_ENABLED: 'false' })) {
    const logs: LogLine[] = [];
    const log =
      (level: string) =>
      (fields: Record<string, unknown> | string, msg?: string): void => {
        if (typeof fields === 'string') logs.push({ level, fields: {}, msg: fields });
        else logs.push({ level, fields, msg: msg ?? '' });
      };
    const logger = {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
    } as unknown as Logger;
    const behindForwarder = new Kafka({
      brokers: [forwarder.address],
      logLevel: logLevel.NOTHING,
      connectionTimeout: 1_000,
      retry: { retries: 1, initialRetryTime: 50 },
    });
    const roleKafka = {
      producer: (o?: ProducerConfig) => kafka.producer(o),
      consumer: (o: ConsumerConfig) => behindForwarder.consumer(o),
    } as unknown as Kafka;
    const health = new HealthRegistry();
    const module = new IngestRoleModule(
      config,
      admin,
      roleKafka,
      createDataSource(config.database), // never initialised: no batch reaches the database here
      logger,
      new Metrics(false),
      health,
    );
    const probe = () =>
      health
        .entries()
        .find(([name]) => name === 'ingest')![1]();
    const failures = () => logs.filter((l) => l.msg === 'ingest consumer failed to start, retrying');
    return { config, module, probe, logs, failures };
  }

  it('refuses to start when the dead-letter topics are missing, naming them and the command', async () => {
    const config = testConfig({ RISK_ENABLED: 'false' });
    const inputs = inputTopics(config.topics);
    await admin.createTopics({
      topics: inputs.map((topic) => ({ topic, numPartitions: 1 })),
      waitForLeaders: true,
    });
    const r = role(config);
    try {
      await expect(r.module.onApplicationBootstrap()).rejects.toThrow(
        `ingest: dead-letter topics missing: ${inputs.map((t) => `${t}.dlq`).join(', ')} (run the "topics" command)`,
      );
    } finally {
      await r.module.beforeApplicationShutdown();
    }
  });

  it('Kafka unreachable at start: health reports the error, the role retries with back-off until it runs', async () => {
    const r = role();
    await ensureTopics(admin, topicSpecs(r.config.topics));
    try {
      await r.module.onApplicationBootstrap(); // does not give up: the first failed start is only logged
      await expect(r.probe()).rejects.toThrow(
        new RegExp(`^consumer crashed: KafkaJS\\w+: .*ECONNREFUSED ${forwarder.address}`),
      );
      await waitFor('three failed starts', () => r.failures().length >= 3, 20_000, 50);
      expect(
        r
          .failures()
          .slice(0, 3)
          .map((l) => [l.level, l.fields.attempt, l.fields.retryInMs]),
      ).toEqual([
        ['error', 1, 200],
        ['error', 2, 400],
        ['error', 3, 800],
      ]);
      await expect(r.probe()).rejects.toThrow(/^consumer crashed: /);

      await forwarder.open(); // Kafka is back
      const running = () =>
        r.probe().then(
          (v) => (v as { state: string }).state === 'running',
          () => false,
        );
      await waitFor('ingest running', running, 30_000, 100);
      expect(await r.probe()).toEqual({ state: 'running' });
      expect(r.logs.filter((l) => l.msg === 'ingest consumer started')).toHaveLength(1);
    } finally {
      await r.module.beforeApplicationShutdown();
    }
    await expect(r.probe()).rejects.toThrow(/^consumer stopped/);
  });

  it('shutdown ends the retries at once', async () => {
    const r = role();
    await ensureTopics(admin, topicSpecs(r.config.topics));
    await r.module.onApplicationBootstrap();
    await waitFor('a failed start', () => r.failures().length >= 1, 20_000, 50);
    const started = Date.now();
    await r.module.beforeApplicationShutdown();
    expect(Date.now() - started).toBeLessThan(5_000);
    const after = r.failures().length;
    await new Promise((res) => setTimeout(res, 1_500)); // longer than the next back-off steps
    expect(r.failures()).toHaveLength(after);
    await expect(r.probe()).rejects.toThrow(/^consumer (stopped|crashed)/);
  });
});
