import type { SimRecord } from '../records';
import { eventJson, toNdjsonLine } from './ndjson';

const record = (data: Record<string, unknown>): SimRecord => ({
  topic: 'telematics',
  key: 'PC210-10001',
  event: {
    eventId: 'sim-1-t-PC210-10001-0',
    type: 'telematics.snapshot',
    occurredAt: '2024-01-01T17:00:00Z',
    dealerId: 'd1',
    source: 'rp-simulator',
    schemaVersion: 1,
    data,
  },
});

describe('toNdjsonLine', () => {
  it('writes the same bytes whatever the insertion order of data keys', () => {
    const a = record({
      serialNumber: 'PC210-10001',
      location: { latitude: 1, longitude: 2 },
      cumulativeOperatingHours: 3.5,
    });
    const b = record({
      cumulativeOperatingHours: 3.5,
      location: { longitude: 2, latitude: 1 },
      serialNumber: 'PC210-10001',
    });
    expect(toNdjsonLine(a)).toBe(toNdjsonLine(b));
    expect(toNdjsonLine(a)).toBe(
      '{"topic":"telematics","key":"PC210-10001","event":{"eventId":"sim-1-t-PC210-10001-0",' +
        '"type":"telematics.snapshot","occurredAt":"2024-01-01T17:00:00Z","dealerId":"d1","source":"rp-simulator",' +
        '"schemaVersion":1,"data":{"cumulativeOperatingHours":3.5,"location":{"latitude":1,"longitude":2},' +
        '"serialNumber":"PC210-10001"}}}',
    );
  });

  it('round-trips through JSON, keeping arrays in order and escaping strings', () => {
    const r = record({
      faultCodes: [
        { severity: 'high', code: 'B' },
        { code: 'A', severity: 'low' },
      ],
      note: 'a "quoted"\nline',
    });
    expect(JSON.parse(toNdjsonLine(r))).toEqual(r);
    expect(JSON.parse(eventJson(r.event))).toEqual(r.event);
    expect(toNdjsonLine(r)).not.toContain('\n');
  });
});
