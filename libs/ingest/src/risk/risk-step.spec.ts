import type { IngestEvent } from '../projections/ingest-event';
import { batchProgressMs } from './risk-step';

describe('batchProgressMs: the event-time progress a partition batch records', () => {
  const event = (occurredAtMs: number, progressMs?: number): IngestEvent =>
    ({ occurredAtMs, progressMs, topic: 'service', partition: 0, offset: '0' }) as IngestEvent;

  it('is the newest event, each bounded by the time it reached Kafka', () => {
    expect(batchProgressMs([event(100, 100), event(5_000, 300), event(200, 200)])).toBe(300);
  });

  it('a producer clock running ahead does not move it past the others', () => {
    expect(batchProgressMs([event(90_000, 1_000), event(2_000, 2_000)])).toBe(2_000);
  });

  it('falls back to the event time for events without progressMs (not read from Kafka)', () => {
    expect(batchProgressMs([event(700), event(400, 400)])).toBe(700);
  });

  it('is -Infinity for an empty batch', () => {
    expect(batchProgressMs([])).toBe(-Infinity);
  });
});
