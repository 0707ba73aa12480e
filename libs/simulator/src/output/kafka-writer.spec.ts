import type { Producer, ProducerBatch } from 'kafkajs';
import type { SimRecord } from '../records';
import { produceSimulation } from './kafka-writer';

const TOPICS = { telematics: 'tel', warranty: 'war', service: 'svc' };

function records(n: number): SimRecord[] {
  const kinds = ['telematics', 'warranty', 'service'] as const;
  return Array.from({ length: n }, (_, i) => ({
    topic: kinds[i % 3],
    key: `k${i}`,
    event: {
      eventId: `e${i}`,
      type: 'telematics.snapshot',
      occurredAt: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString().slice(0, 19) + 'Z',
      dealerId: 'd1',
      source: 'test',
      schemaVersion: 1,
      data: { serialNumber: `k${i}` },
    },
  }));
}

/** A stand-in producer: records each sendBatch and acknowledges after a tick (or fails on demand). */
function fakeProducer(failOnCall?: number) {
  const batches: ProducerBatch[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const producer = {
    sendBatch: async (batch: ProducerBatch) => {
      batches.push(batch);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 2));
      inFlight--;
      if (batches.length === failOnCall) throw new Error('broker said no');
      return [];
    },
  } as unknown as Producer;
  return { producer, batches, maxInFlight: () => maxInFlight };
}

describe('produceSimulation', () => {
  it('sends every record in batches of at most batchSize, acks -1, keyed and timestamped by occurredAt', async () => {
    const fake = fakeProducer();
    const input = records(2500);
    const counts = await produceSimulation(fake.producer, input, TOPICS, { batchSize: 1000, maxInFlight: 2 });
    expect(counts).toEqual({ telematics: 834, warranty: 833, service: 833 });
    expect(fake.batches).toHaveLength(3);
    expect(fake.maxInFlight()).toBeLessThanOrEqual(2);
    const sent = fake.batches.flatMap((b) =>
      b.topicMessages!.flatMap((t) => t.messages.map((m) => ({ topic: t.topic, m }))),
    );
    expect(sent).toHaveLength(2500);
    for (const b of fake.batches) {
      expect(b.acks).toBe(-1);
      expect(b.topicMessages!.reduce((n, t) => n + t.messages.length, 0)).toBeLessThanOrEqual(1000);
    }
    const first = sent.find((s) => s.m.key === 'k4')!;
    expect(first.topic).toBe('war');
    expect(first.m.timestamp).toBe(String(Date.UTC(2024, 0, 1) + 4 * 60_000));
    expect(JSON.parse(first.m.value as string)).toEqual(input[4].event);
  });

  it('pulls records lazily: at most batchSize x (maxInFlight + 1) are read ahead of the acknowledgements', async () => {
    const fake = fakeProducer();
    let read = 0;
    function* lazy(): Generator<SimRecord> {
      for (const r of records(10_000)) {
        read++;
        expect(read - acknowledgedSoFar).toBeLessThanOrEqual(100 * 4);
        yield r;
      }
    }
    let acknowledgedSoFar = 0;
    await produceSimulation(fake.producer, lazy(), TOPICS, {
      batchSize: 100,
      maxInFlight: 3,
      onProgress: (c) => (acknowledgedSoFar = c.telematics + c.warranty + c.service),
    });
    expect(acknowledgedSoFar).toBe(10_000);
  });

  it('rejects with the send error and stops reading', async () => {
    const fake = fakeProducer(2);
    await expect(
      produceSimulation(fake.producer, records(5000), TOPICS, { batchSize: 500, maxInFlight: 1 }),
    ).rejects.toThrow('broker said no');
    expect(fake.batches.length).toBeLessThan(10);
  });
});
