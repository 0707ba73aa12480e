import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { dlqTopic, inputTopics, type AppConfig } from '@rp/config';
import { createDataSource, runMigrations } from '@rp/database';
import {
  BatchConsumer,
  createIngestHandler,
  DEFAULT_VALUE_SETTINGS,
  loadRiskState,
  registerPartitions,
  RiskRuntime,
  type RiskStepOptions,
} from '@rp/ingest';
import { DEFAULT_RULE_SET, type RuleSet } from '@rp/risk';
import { createKafka, ensureTopics, listPartitions, topicSpecs } from '@rp/kafka';
import { createLogger, Metrics } from '@rp/observability';

export interface HarnessOptions {
  /** Run detection in the ingest transaction with this rule set (off when absent). */
  ruleSet?: RuleSet;
  allowedLatenessMs?: number;
}

export interface IngestHarness {
  risk?: RiskStepOptions;
  kafka: Kafka;
  producer: Producer;
  ds: DataSource;
  startConsumer: (groupSuffix?: string) => Promise<BatchConsumer>;
  close: () => Promise<void>;
}

/** Real Kafka topics + a migrated schema + the real ingest consumer, in-process. */
export async function ingestHarness(config: AppConfig, opts: HarnessOptions = {}): Promise<IngestHarness> {
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', {}, process.env.TEST_LOG_FILE);
  const kafka = createKafka(config.kafka, logger);
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, topicSpecs(config.topics));
  await admin.disconnect();
  const ds = createDataSource(config.database);
  await ds.initialize();
  await runMigrations(ds);
  const producer = kafka.producer();
  await producer.connect();
  const consumers: BatchConsumer[] = [];
  let runtime: RiskRuntime | undefined;
  const t = config.topics;
  const risk: RiskStepOptions | undefined = opts.ruleSet
    ? {
        engine: {
          ruleSet: opts.ruleSet ?? DEFAULT_RULE_SET,
          value: DEFAULT_VALUE_SETTINGS,
          loadState: loadRiskState,
        },
        topics: inputTopics(t),
        allowedLatenessMs: opts.allowedLatenessMs ?? 3_600_000,
      }
    : undefined;
  return {
    risk,
    kafka,
    producer,
    ds,
    startConsumer: async (groupSuffix = '') => {
      if (risk) {
        const admin = kafka.admin();
        await admin.connect();
        await registerPartitions(ds, await listPartitions(admin, inputTopics(t)));
        await admin.disconnect();
      }
      const c = new BatchConsumer(kafka, {
        groupId: config.kafka.groupId + groupSuffix,
        topics: inputTopics(t),
        partitionsConcurrently: 2,
        logger,
        handle: createIngestHandler({
          ds,
          producer,
          metrics: new Metrics(false),
          logger,
          topicKinds: { [t.telematics]: 'telematics', [t.warranty]: 'warranty', [t.service]: 'service' },
          dlqTopicOf: dlqTopic,
          risk,
        }),
      });
      consumers.push(c);
      await c.start();
      if (risk && !runtime) {
        // Without publishing: tests look at the outbox before anything leaves it.
        runtime = new RiskRuntime({
          ds,
          decisionsTopic: t.decisions,
          step: risk,
          quietMs: 3_600_000,
          logger,
          tickMs: 200,
        });
        runtime.start();
      }
      return c;
    },
    close: async () => {
      await Promise.all(consumers.map((c) => c.stop()));
      await runtime?.stop();
      await producer.disconnect();
      await ds.query(`DROP SCHEMA IF EXISTS ${config.database.schema} CASCADE`);
      await ds.destroy();
    },
  };
}
