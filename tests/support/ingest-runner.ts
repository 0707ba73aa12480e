import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { dlqTopic, inputTopics, type AppConfig } from '@rp/config';
import { createDataSource, runMigrations } from '@rp/database';
import { BatchConsumer, createIngestHandler } from '@rp/ingest';
import { createKafka, ensureTopics, topicSpecs } from '@rp/kafka';
import { createLogger, Metrics } from '@rp/observability';

export interface IngestHarness {
  kafka: Kafka;
  producer: Producer;
  ds: DataSource;
  startConsumer: (groupSuffix?: string) => Promise<BatchConsumer>;
  close: () => Promise<void>;
}

/** Real Kafka topics + a migrated schema + the real ingest consumer, in-process. */
export async function ingestHarness(config: AppConfig): Promise<IngestHarness> {
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
  const t = config.topics;
  return {
    kafka,
    producer,
    ds,
    startConsumer: async (groupSuffix = '') => {
      const c = new BatchConsumer(kafka, {
        groupId: config.kafka.groupId + groupSuffix,
        topics: inputTopics(t),
        partitionsConcurrently: 2,
        logger,
        handle: createIngestHandler({
          ds,
          producer,
          metrics: new Metrics(false),
          topicKinds: { [t.telematics]: 'telematics', [t.warranty]: 'warranty', [t.service]: 'service' },
          dlqTopicOf: dlqTopic,
        }),
      });
      consumers.push(c);
      await c.start();
      return c;
    },
    close: async () => {
      await Promise.all(consumers.map((c) => c.stop()));
      await producer.disconnect();
      await ds.query(`DROP SCHEMA IF EXISTS ${config.database.schema} CASCADE`);
      await ds.destroy();
    },
  };
}
