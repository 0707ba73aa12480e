import type { Admin } from 'kafkajs';
import { dlqTopic, inputTopics } from '@rp/config';
import { createKafka, ensureTopics, topicSpecs } from '@rp/kafka';
import { testConfig } from '../support';

/** The topics command brings existing DLQ topics (created before DLQs had room for headers) to the new limit. */
describe('topics command on existing DLQ topics (real Kafka)', () => {
  const config = testConfig();
  const dlqs = inputTopics(config.topics).map(dlqTopic);
  let admin: Admin;

  const configsOf = async (topic: string) => {
    const d = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2, name: topic, configNames: ['max.message.bytes', 'retention.ms', 'segment.ms'] }],
    });
    return Object.fromEntries(d.resources[0].configEntries.map((e) => [e.configName, e.configValue]));
  };

  beforeAll(async () => {
    admin = createKafka(config.kafka).admin();
    await admin.connect();
  });
  afterAll(() => admin.disconnect());

  it('raises max.message.bytes of DLQs created with the input limit, keeps their other configs, idempotently', async () => {
    // As the previous release created them: the input's limit; one with an operator's extra setting, one
    // raised by an operator above the new limit.
    const old = (topic: string, extra: { name: string; value: string }[] = []) => ({
      topic,
      numPartitions: config.topics.partitions,
      configEntries: [
        { name: 'retention.ms', value: '-1' },
        { name: 'max.message.bytes', value: '2097152' },
        ...extra,
      ],
    });
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        old(dlqs[0]),
        old(dlqs[1], [{ name: 'segment.ms', value: '3600000' }]),
        { ...old(dlqs[2]), configEntries: [{ name: 'max.message.bytes', value: '8388608' }] },
      ],
    });

    const report = await ensureTopics(admin, topicSpecs(config.topics));
    expect(report.created).toHaveLength(5); // the inputs and outputs
    expect(report.messageLimitRaised.sort()).toEqual([dlqs[0], dlqs[1]].sort());
    expect(await configsOf(dlqs[0])).toMatchObject({ 'max.message.bytes': '2113536', 'retention.ms': '-1' });
    expect(await configsOf(dlqs[1])).toEqual({
      'max.message.bytes': '2113536',
      'retention.ms': '-1',
      'segment.ms': '3600000',
    });
    expect(await configsOf(dlqs[2])).toMatchObject({ 'max.message.bytes': '8388608' });
    expect(await configsOf(config.topics.service)).toMatchObject({ 'max.message.bytes': '2097152' });

    const again = await ensureTopics(admin, topicSpecs(config.topics));
    expect(again.created).toEqual([]);
    expect(again.messageLimitRaised).toEqual([]);
  });
});
