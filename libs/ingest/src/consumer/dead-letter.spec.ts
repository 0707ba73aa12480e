import type { Message } from 'kafkajs';
import { chunkBySize, DLQ_SEND_BYTES, recordBytes } from './dead-letter';

const msg = (valueBytes: number, key: string | null = 'PC200-10001'): Message => ({
  key,
  value: Buffer.alloc(valueBytes, 120),
  headers: { 'x-error-code': 'TYPE_NOT_ALLOWED_ON_TOPIC', 'x-source-offset': '12' },
});

describe('recordBytes', () => {
  it('counts key, value, header names and values, and a bounded overhead per record and header', () => {
    // 32 + key 11 + value 100 + (10 + 12 + 25) + (10 + 15 + 2)
    expect(recordBytes(msg(100))).toBe(217);
    expect(recordBytes({ key: null, value: null })).toBe(32);
    expect(recordBytes({ key: 'é', value: 'x', headers: { h: ['a', Buffer.from('bc')] } })).toBe(
      32 + 2 + 1 + (10 + 1 + 1) + (10 + 1 + 2),
    );
  });
});

describe('chunkBySize', () => {
  it('cuts 3,000 rejects of one key into sends of at most 1 MiB, in order, none lost', () => {
    const messages = Array.from({ length: 3000 }, (_, i) => ({
      ...msg(627),
      value: `${i}`.padEnd(627, 'x'),
    }));
    const chunks = chunkBySize(messages);
    expect(DLQ_SEND_BYTES).toBe(1_048_576);
    const per = recordBytes(messages[0]); // 744 bytes
    expect(per).toBe(744);
    const fit = Math.floor(DLQ_SEND_BYTES / per); // 1,409 per send
    expect(chunks.map((c) => c.length)).toEqual([fit, fit, 3000 - 2 * fit]);
    expect(chunks.flat()).toEqual(messages);
    for (const c of chunks)
      expect(c.reduce((n, m) => n + recordBytes(m), 0)).toBeLessThanOrEqual(DLQ_SEND_BYTES);
  });

  it('sends a copy larger than the bound alone, between its neighbours', () => {
    const [small, big] = [msg(10), msg(DLQ_SEND_BYTES + 1)];
    expect(chunkBySize([small, big, small, small], 1000)).toEqual([[small], [big], [small, small]]);
    expect(chunkBySize([big])).toEqual([[big]]);
    expect(chunkBySize([])).toEqual([]);
  });
});
