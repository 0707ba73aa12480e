import type { AppConfig } from '@rp/config';
import { createKafka, ensureTopics, topicSpecs } from '@rp/kafka';
import type { Logger } from '@rp/observability';

/** Creates the topics of EVENTS.md (inputs with unlimited retention, DLQs, outputs). Idempotent. */
export async function setupTopics(config: AppConfig, logger: Logger): Promise<void> {
  const admin = createKafka(config.kafka, logger, '-topics').admin();
  await admin.connect();
  try {
    const report = await ensureTopics(admin, topicSpecs(config.topics));
    logger.info({ ...report, partitions: config.topics.partitions }, 'topics ready');
  } finally {
    await admin.disconnect();
  }
}
