import type { Admin } from 'kafkajs';
import { dlqTopic, inputTopics, outputTopics, type TopicsConfig } from '@rp/config';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries: { name: string; value: string }[];
}

/** The topics of EVENTS.md: inputs (history kept), their DLQs, and the outputs. */
export function topicSpecs(t: TopicsConfig): TopicSpec[] {
  const keep = [
    { name: 'retention.ms', value: String(t.inputRetentionMs) },
    { name: 'max.message.bytes', value: String(t.inputMaxMessageBytes) },
  ];
  const spec = (topic: string, configEntries: TopicSpec['configEntries'] = []): TopicSpec => ({
    topic,
    numPartitions: t.partitions,
    replicationFactor: t.replicationFactor,
    configEntries,
  });
  return [
    ...inputTopics(t).map((name) => spec(name, keep)),
    ...inputTopics(t).map((name) => spec(dlqTopic(name), keep)),
    ...outputTopics(t).map((name) => spec(name)),
  ];
}

export interface TopicSetupReport {
  created: string[];
  existing: string[];
  partitionsIncreased: string[];
}

/** Creates missing topics and raises partition counts below the configured one. Idempotent. */
export async function ensureTopics(admin: Admin, specs: TopicSpec[]): Promise<TopicSetupReport> {
  const present = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !present.has(s.topic));
  const report: TopicSetupReport = { created: [], existing: [], partitionsIncreased: [] };
  if (missing.length) {
    await admin.createTopics({ topics: missing, waitForLeaders: true });
    report.created = missing.map((s) => s.topic);
  }
  const existing = specs.filter((s) => present.has(s.topic));
  report.existing = existing.map((s) => s.topic);
  if (existing.length) {
    const meta = await admin.fetchTopicMetadata({ topics: existing.map((s) => s.topic) });
    const grow = existing.filter((s) => {
      const m = meta.topics.find((x) => x.name === s.topic);
      return m !== undefined && m.partitions.length < s.numPartitions;
    });
    if (grow.length) {
      await admin.createPartitions({
        topicPartitions: grow.map((s) => ({ topic: s.topic, count: s.numPartitions })),
      });
      report.partitionsIncreased = grow.map((s) => s.topic);
    }
  }
  return report;
}
