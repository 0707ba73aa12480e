import { ConfigResourceTypes, ConfigSource, type Admin } from 'kafkajs';
import { dlqTopic, inputTopics, outputTopics, type TopicsConfig } from '@rp/config';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries: { name: string; value: string }[];
}

/**
 * Room per DLQ record above the input limit: a DLQ copy is its input record plus the EVENTS.md headers
 * (an error message of at most 2,000 characters, the source topic's name, offsets, a timestamp).
 */
export const DLQ_HEADER_ROOM_BYTES = 16 * 1024;

const MAX_MESSAGE_BYTES = 'max.message.bytes';

/** The topics of EVENTS.md: inputs (history kept), their DLQs (room for the copies' headers), the outputs. */
export function topicSpecs(t: TopicsConfig): TopicSpec[] {
  const keep = (maxMessageBytes: number) => [
    { name: 'retention.ms', value: String(t.inputRetentionMs) },
    { name: MAX_MESSAGE_BYTES, value: String(maxMessageBytes) },
  ];
  const spec = (topic: string, configEntries: TopicSpec['configEntries'] = []): TopicSpec => ({
    topic,
    numPartitions: t.partitions,
    replicationFactor: t.replicationFactor,
    configEntries,
  });
  return [
    ...inputTopics(t).map((name) => spec(name, keep(t.inputMaxMessageBytes))),
    ...inputTopics(t).map((name) =>
      spec(dlqTopic(name), keep(t.inputMaxMessageBytes + DLQ_HEADER_ROOM_BYTES)),
    ),
    ...outputTopics(t).map((name) => spec(name)),
  ];
}

export interface TopicSetupReport {
  created: string[];
  existing: string[];
  partitionsIncreased: string[];
  /** Existing topics whose max.message.bytes was below the configured one and was raised to it. */
  messageLimitRaised: string[];
}

/**
 * Creates missing topics, raises partition counts and max.message.bytes below the configured ones (never
 * lowers either: a higher limit set by an operator stays). Idempotent.
 */
export async function ensureTopics(admin: Admin, specs: TopicSpec[]): Promise<TopicSetupReport> {
  const present = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !present.has(s.topic));
  const report: TopicSetupReport = {
    created: [],
    existing: [],
    partitionsIncreased: [],
    messageLimitRaised: [],
  };
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
    report.messageLimitRaised = await raiseMessageLimits(admin, existing);
  }
  return report;
}

/**
 * Raises max.message.bytes of existing topics to their spec's value where it is lower. AlterConfigs (the
 * only alteration kafkajs offers) replaces a topic's whole dynamic configuration: its other topic-level
 * entries (retention, …) are sent along unchanged.
 */
async function raiseMessageLimits(admin: Admin, specs: TopicSpec[]): Promise<string[]> {
  const wanted = new Map<string, number>();
  for (const s of specs) {
    const e = s.configEntries.find((c) => c.name === MAX_MESSAGE_BYTES);
    if (e) wanted.set(s.topic, Number(e.value));
  }
  if (wanted.size === 0) return [];
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [...wanted.keys()].map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
  });
  const raise = described.resources.flatMap((r) => {
    const target = wanted.get(r.resourceName);
    const current = r.configEntries.find((c) => c.configName === MAX_MESSAGE_BYTES);
    if (target === undefined || current === undefined || Number(current.configValue) >= target) return [];
    const keep = r.configEntries
      .filter(
        (c) =>
          c.configSource === ConfigSource.TOPIC_CONFIG &&
          c.configName !== MAX_MESSAGE_BYTES &&
          !c.isSensitive &&
          c.configValue !== null,
      )
      .map((c) => ({ name: c.configName, value: c.configValue }));
    return [
      {
        type: ConfigResourceTypes.TOPIC,
        name: r.resourceName,
        configEntries: [...keep, { name: MAX_MESSAGE_BYTES, value: String(target) }],
      },
    ];
  });
  if (raise.length) await admin.alterConfigs({ validateOnly: false, resources: raise });
  return raise.map((r) => r.name);
}
