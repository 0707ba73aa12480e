import { accept, envelope } from './spec-helpers';
import type { TopicKind } from './index';

// Verbatim from EVENTS.md "Example day of one machine".
const EXAMPLE_WARRANTY =
  '{"eventId":"w-1","type":"warranty.registered","occurredAt":"2025-03-01T08:00:00Z","dealerId":"d1","data":{"serialNumber":"PC200-10001","customerId":"c-17","branchId":"b-north","oemName":"Komatsu","model":"PC200-8","startsAt":"2025-03-01","endsAt":"2026-03-01","hoursLimit":2000}}';
const EXAMPLE_TELEMATICS =
  '{"eventId":"t-9f2","type":"telematics.snapshot","occurredAt":"2026-04-10T18:00:00Z","dealerId":"d1","data":{"serialNumber":"PC200-10001","cumulativeOperatingHours":1262.4,"location":{"latitude":31.23,"longitude":121.47},"faultCodes":[{"code":"CA431","severity":"high"}]}}';
const EXAMPLE_WORK_ORDER =
  '{"eventId":"wo-5512-closed","type":"work-order.closed","occurredAt":"2026-04-12T16:30:00Z","dealerId":"d1","data":{"workOrderId":"5512","customerId":"c-17","branchId":"b-north","serialNumber":"PC200-10001","kind":"maintenance","laborAmount":1800,"partsAmount":2650,"currency":"CNY","hoursAtService":1270}}';

describe('parseEvent accepts the EVENTS.md examples', () => {
  it('warranty.registered, with dates normalised to 00:00Z instants', () => {
    const r = accept(EXAMPLE_WARRANTY, 'warranty');
    expect(r.occurredAtMs).toBe(Date.UTC(2025, 2, 1, 8));
    expect(r.event).toEqual({
      eventId: 'w-1',
      type: 'warranty.registered',
      occurredAt: '2025-03-01T08:00:00Z',
      dealerId: 'd1',
      schemaVersion: 1,
      data: {
        serialNumber: 'PC200-10001',
        customerId: 'c-17',
        branchId: 'b-north',
        oemName: 'Komatsu',
        model: 'PC200-8',
        startsAt: '2025-03-01T00:00:00.000Z',
        endsAt: '2026-03-01T00:00:00.000Z',
        hoursLimit: 2000,
      },
    });
  });

  it('telematics.snapshot', () => {
    const r = accept(EXAMPLE_TELEMATICS, 'telematics');
    expect(r.occurredAtMs).toBe(Date.UTC(2026, 3, 10, 18));
    expect(r.event.data).toEqual({
      serialNumber: 'PC200-10001',
      cumulativeOperatingHours: 1262.4,
      location: { latitude: 31.23, longitude: 121.47 },
      faultCodes: [{ code: 'CA431', severity: 'high' }],
    });
  });

  it('work-order.closed, from a Buffer', () => {
    const r = accept(Buffer.from(EXAMPLE_WORK_ORDER, 'utf8'), 'service');
    expect(r.occurredAtMs).toBe(Date.UTC(2026, 3, 12, 16, 30));
    expect(r.event.type).toBe('work-order.closed');
    expect(r.event.data).toEqual({
      workOrderId: '5512',
      customerId: 'c-17',
      branchId: 'b-north',
      serialNumber: 'PC200-10001',
      kind: 'maintenance',
      laborAmount: 1800,
      partsAmount: 2650,
      currency: 'CNY',
      hoursAtService: 1270,
    });
  });

  it('the envelope example with an offset: occurredAtMs is the UTC instant, occurredAt kept as sent', () => {
    const raw = JSON.stringify({
      eventId: 'wo-88213-closed',
      type: 'work-order.closed',
      occurredAt: '2026-03-04T09:12:00+08:00',
      dealerId: 'dealer-east',
      source: 'dms:branch-7',
      schemaVersion: 1,
      data: {
        workOrderId: '88213',
        customerId: 'c-1',
        branchId: 'b-7',
        kind: 'repair',
        laborAmount: 0,
        partsAmount: 0,
        currency: 'EUR',
      },
    });
    const r = accept(raw, 'service');
    expect(r.occurredAtMs).toBe(Date.UTC(2026, 2, 4, 1, 12));
    expect(r.event.occurredAt).toBe('2026-03-04T09:12:00+08:00');
    expect(r.event.source).toBe('dms:branch-7');
  });
});

const EVERY_TYPE: [TopicKind, string, object][] = [
  ['telematics', 'telematics.snapshot', { serialNumber: 'S1' }],
  [
    'warranty',
    'warranty.registered',
    {
      serialNumber: 'S1',
      customerId: 'c',
      branchId: 'b',
      startsAt: '2025-01-01',
      endsAt: '2026-01-01T12:00:00+01:00',
    },
  ],
  [
    'warranty',
    'warranty.extended',
    {
      serialNumber: 'S1',
      contractId: 'k1',
      kind: 'maintenance-contract',
      startsAt: '2026-01-01',
      endsAt: '2028-01-01',
      hoursLimit: 6000,
      amount: 4200.5,
      currency: 'USD',
    },
  ],
  ['warranty', 'warranty.expiring', { serialNumber: 'S1', endsAt: '2026-05-01' }],
  [
    'warranty',
    'warranty.expired',
    { serialNumber: 'S1', endedAt: '2026-03-01T00:00:00Z', coverage: 'standard' },
  ],
  ['warranty', 'ownership.transferred', { serialNumber: 'S1', fromCustomerId: 'c1', toCustomerId: 'c2' }],
  [
    'service',
    'customer.upserted',
    {
      customerId: 'c1',
      name: 'Acme Earthworks',
      branchId: 'b',
      phone: '+86 21 5555 0100',
      email: 'ops@acme.example',
    },
  ],
  [
    'service',
    'work-order.opened',
    { workOrderId: 'w1', customerId: 'c1', branchId: 'b', kind: 'warranty-repair', hoursAtOpen: 812 },
  ],
  [
    'service',
    'work-order.closed',
    {
      workOrderId: 'w1',
      customerId: 'c1',
      branchId: 'b',
      kind: 'inspection',
      laborAmount: 100,
      partsAmount: 0,
      currency: 'EUR',
      grossProfit: -12.5,
      downtimeHours: 3,
    },
  ],
  [
    'service',
    'parts.sold',
    { invoiceId: 'i1', customerId: 'c1', branchId: 'b', amount: 99.9, currency: 'EUR', category: 'filters' },
  ],
  [
    'service',
    'complaint.opened',
    { complaintId: 'k1', customerId: 'c1', category: 'delay', severity: 'high' },
  ],
  ['service', 'complaint.resolved', { complaintId: 'k1', customerId: 'c1' }],
  [
    'service',
    'survey.responded',
    { surveyId: 's1', customerId: 'c1', nps: 0, ces: 7, csat: 5, comment: 'ok' },
  ],
];

describe('parseEvent accepts a valid message of every type', () => {
  it.each(EVERY_TYPE)('%s: %s', (topicKind, type, data) => {
    const r = accept(envelope(type, data), topicKind);
    expect(r.event.type).toBe(type);
    expect(r.event.dealerId).toBe('d1');
    expect(r.occurredAtMs).toBe(Date.UTC(2026, 3, 12, 10));
  });

  it('covers all 13 types', () => {
    expect(new Set(EVERY_TYPE.map(([, type]) => type)).size).toBe(13);
  });

  it('normalises RFC 3339 dates with an offset to UTC instants', () => {
    const r = accept(envelope(EVERY_TYPE[1][1], EVERY_TYPE[1][2]), 'warranty');
    expect(r.event.data).toMatchObject({
      startsAt: '2025-01-01T00:00:00.000Z',
      endsAt: '2026-01-01T11:00:00.000Z',
    });
  });

  it('normalises faultCodes timestamps', () => {
    const data = {
      serialNumber: 'S1',
      faultCodes: [{ code: 'E1', severity: 'info', firstSeenAt: '2026-04-01T08:00:00.5-02:00' }],
    };
    const r = accept(envelope('telematics.snapshot', data), 'telematics');
    expect(r.event.data).toEqual({
      serialNumber: 'S1',
      faultCodes: [{ code: 'E1', severity: 'info', firstSeenAt: '2026-04-01T10:00:00.500Z' }],
    });
  });
});
