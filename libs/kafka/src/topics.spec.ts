import type { Admin } from 'kafkajs';
import { loadConfig } from '@rp/config';
import { DLQ_HEADER_ROOM_BYTES, ensureTopics, topicSpecs } from './topics';

const config = loadConfig({}).topics;
const entries = (topic: string) =>
  Object.fromEntries(
    topicSpecs(config)
      .find((s) => s.topic === topic)!
      .configEntries.map((e) => [e.name, e.value]),
  );

describe('topicSpecs', () => {
  it('gives a DLQ room for its copies’ headers above the input limit, and the input’s retention', () => {
    expect(DLQ_HEADER_ROOM_BYTES).toBe(16_384);
    expect(entries('service.events')).toEqual({ 'retention.ms': '-1', 'max.message.bytes': '2097152' });
    expect(entries('service.events.dlq')).toEqual({ 'retention.ms': '-1', 'max.message.bytes': '2113536' });
    expect(entries('retention.decisions')).toEqual({});
  });
});

describe('ensureTopics on existing topics', () => {
  /** An admin over one existing DLQ topic with the given topic-level configs; records alterConfigs. */
  const fakeAdmin = (topic: string, maxMessageBytes: string, altered: unknown[]) =>
    ({
      listTopics: () => Promise.resolve([topic]),
      fetchTopicMetadata: () =>
        Promise.resolve({
          topics: [{ name: topic, partitions: Array.from({ length: config.partitions }, () => ({})) }],
        }),
      describeConfigs: () =>
        Promise.resolve({
          resources: [
            {
              resourceName: topic,
              configEntries: [
                { configName: 'retention.ms', configValue: '-1', configSource: 1, isSensitive: false },
                { configName: 'cleanup.policy', configValue: 'delete', configSource: 5, isSensitive: false },
                {
                  configName: 'max.message.bytes',
                  configValue: maxMessageBytes,
                  configSource: 1,
                  isSensitive: false,
                },
              ],
            },
          ],
        }),
      alterConfigs: (req: unknown) => {
        altered.push(req);
        return Promise.resolve();
      },
    }) as unknown as Admin;
  const dlqSpec = topicSpecs(config).filter((s) => s.topic === 'service.events.dlq');

  it('raises a DLQ’s max.message.bytes below the configured one, keeping its other topic-level configs', async () => {
    const altered: unknown[] = [];
    const report = await ensureTopics(fakeAdmin('service.events.dlq', '2097152', altered), dlqSpec);
    expect(report.messageLimitRaised).toEqual(['service.events.dlq']);
    expect(altered).toEqual([
      {
        validateOnly: false,
        resources: [
          {
            type: 2,
            name: 'service.events.dlq',
            configEntries: [
              { name: 'retention.ms', value: '-1' },
              { name: 'max.message.bytes', value: '2113536' },
            ],
          },
        ],
      },
    ]);
  });

  it.each([
    ['already at the configured value', '2113536'],
    ['set higher by an operator', '8388608'],
  ])('leaves a limit %s alone', async (_, current) => {
    const altered: unknown[] = [];
    const report = await ensureTopics(fakeAdmin('service.events.dlq', current, altered), dlqSpec);
    expect(report.messageLimitRaised).toEqual([]);
    expect(altered).toEqual([]);
  });
});
