import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type { AppConfig } from '@rp/config';
import { createKafka, ensureTopics, topicSpecs } from '@rp/kafka';
import {
  produceSimulation,
  simulateFleet,
  SIMULATION_PRODUCER,
  type SimRecord,
  type SimTopic,
} from '@rp/simulator';
import { readFromBeginning, runCli, testConfig } from '../../support';

interface Received {
  topic: string;
  partition: number;
  key: string;
  timestamp: string;
  value: string;
}

const SIM = {
  seed: 11,
  machines: 25,
  months: 2,
  historyMonths: 18,
  start: '2025-01-01',
  dealerId: 'sim-int',
};

/** Every message of the topics from the beginning (a second later still: anything beyond `expected` shows). */
async function readAll(
  kafka: Kafka,
  topics: string[],
  groupId: string,
  expected: number,
): Promise<Received[]> {
  const got = await readFromBeginning(kafka, topics, expected, { groupId, settleMs: 1000 });
  return got.map(({ topic, partition, message: m }) => ({
    topic,
    partition,
    key: m.key!.toString(),
    timestamp: m.timestamp,
    value: m.value!.toString(),
  }));
}

function topicNames(config: AppConfig): Record<SimTopic, string> {
  return {
    telematics: config.topics.telematics,
    warranty: config.topics.warranty,
    service: config.topics.service,
  };
}

describe('simulator -> real Kafka', () => {
  const config = testConfig();
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  const records: SimRecord[] = [...simulateFleet(SIM)];
  const expected = { telematics: 0, warranty: 0, service: 0 };
  for (const r of records) expected[r.topic]++;

  beforeAll(async () => {
    kafka = createKafka(config.kafka);
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, topicSpecs(config.topics));
    producer = kafka.producer(SIMULATION_PRODUCER); // as `retention simulate --kafka` creates it
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await admin.disconnect();
  });

  it('produces every record once, keyed by serial (else customer) and stamped with occurredAt', async () => {
    expect(records.length).toBeGreaterThan(1000);
    const topics = topicNames(config);
    const counts = await produceSimulation(producer, records, topics, { batchSize: 200, maxInFlight: 3 });
    expect(counts).toEqual(expected);

    const got = await readAll(kafka, Object.values(topics), `${config.kafka.groupId}-sim`, records.length);
    expect(got).toHaveLength(records.length);
    const perTopic = { telematics: 0, warranty: 0, service: 0 };
    const byId = new Map(records.map((r) => [r.event.eventId, r]));
    const partitionOfKey = new Map<string, number>();
    for (const m of got) {
      const event = JSON.parse(m.value);
      const sent = byId.get(event.eventId)!;
      expect(sent).toBeDefined();
      byId.delete(event.eventId);
      expect(m.topic).toBe(topics[sent.topic]);
      perTopic[sent.topic]++;
      expect(event).toEqual(sent.event);
      expect(m.key).toBe(sent.key);
      expect(m.key).toBe(event.data.serialNumber ?? event.data.customerId);
      expect(m.timestamp).toBe(String(Date.parse(sent.event.occurredAt)));
      // One machine's events stay in one partition of a topic.
      const k = `${m.topic}/${m.key}`;
      expect(partitionOfKey.get(k) ?? m.partition).toBe(m.partition);
      partitionOfKey.set(k, m.partition);
    }
    expect(byId.size).toBe(0);
    expect(perTopic).toEqual(expected);
  });

  it('the simulate --kafka command produces the same events and writes the labels', async () => {
    const main = resolve(__dirname, '../../../dist/apps/retention/src/main.js');
    expect(existsSync(main)).toBe(true); // run `npx nest build` first
    const cliConfig = testConfig();
    await ensureTopics(admin, topicSpecs(cliConfig.topics));
    const labels = join(mkdtempSync(join(tmpdir(), 'sim-int-')), 'labels.json');
    const run = await runCli(
      [
        'simulate',
        '--seed',
        '11',
        '--machines',
        '25',
        '--months',
        '2',
        '--history-months',
        '18',
        '--start',
        '2025-01-01',
        '--dealer',
        'sim-int',
        '--kafka',
        '--labels',
        labels,
      ],
      {
        KAFKA_BROKERS: cliConfig.kafka.brokers.join(','),
        KAFKA_CLIENT_ID: cliConfig.kafka.clientId,
        TOPIC_TELEMATICS: cliConfig.topics.telematics,
        TOPIC_WARRANTY: cliConfig.topics.warranty,
        TOPIC_SERVICE: cliConfig.topics.service,
        LOG_LEVEL: 'warn',
      },
    );
    expect(run.code).toBe(0);
    const total = records.length.toLocaleString('en-US');
    expect(run.output).toContain(
      `simulate: ${total} events (telematics ${expected.telematics.toLocaleString('en-US')}`,
    );

    const got = await readAll(
      kafka,
      Object.values(topicNames(cliConfig)),
      `${cliConfig.kafka.groupId}-cli`,
      records.length,
    );
    expect(got.map((m) => (JSON.parse(m.value) as { eventId: string }).eventId).sort()).toEqual(
      records.map((r) => r.event.eventId).sort(),
    );
    const written = JSON.parse(readFileSync(labels, 'utf8'));
    expect(written.counts).toEqual(expected);
    expect(written.machines).toHaveLength(25);
  });
});
