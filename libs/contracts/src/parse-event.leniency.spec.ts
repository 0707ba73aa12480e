import { accept, envelope } from './spec-helpers';

const EXAMPLE_TELEMATICS =
  '{"eventId":"t-9f2","type":"telematics.snapshot","occurredAt":"2026-04-10T18:00:00Z","dealerId":"d1","data":{"serialNumber":"PC200-10001","cumulativeOperatingHours":1262.4,"location":{"latitude":31.23,"longitude":121.47},"faultCodes":[{"code":"CA431","severity":"high"}]}}';

describe('parseEvent leniency the contract asks for', () => {
  it('ignores (strips) unknown fields in the envelope, data and nested objects', () => {
    const raw = JSON.stringify({
      eventId: 'e1',
      type: 'telematics.snapshot',
      occurredAt: '2026-04-12T10:00:00Z',
      dealerId: 'd1',
      traceId: 'abc',
      headers: { x: 1 },
      data: { serialNumber: 'S1', newSensor: 42, location: { latitude: 1, longitude: 2, altitude: 300 } },
    });
    const r = accept(raw, 'telematics');
    expect(r.event).toEqual({
      eventId: 'e1',
      type: 'telematics.snapshot',
      occurredAt: '2026-04-12T10:00:00Z',
      dealerId: 'd1',
      schemaVersion: 1,
      data: { serialNumber: 'S1', location: { latitude: 1, longitude: 2 } },
    });
  });

  it('defaults schemaVersion to 1 and accepts an explicit 1', () => {
    expect(
      accept(envelope('complaint.resolved', { complaintId: 'k', customerId: 'c' }), 'service').event
        .schemaVersion,
    ).toBe(1);
  });

  it('treats null optional fields as absent', () => {
    const raw = JSON.stringify({
      eventId: 'e1',
      type: 'work-order.opened',
      occurredAt: '2026-04-12T10:00:00Z',
      dealerId: 'd1',
      source: null,
      data: {
        workOrderId: 'w',
        customerId: 'c',
        branchId: 'b',
        kind: 'repair',
        serialNumber: null,
        hoursAtOpen: null,
      },
    });
    const r = accept(raw, 'service');
    expect(r.event.data).toEqual({ workOrderId: 'w', customerId: 'c', branchId: 'b', kind: 'repair' });
    expect('source' in r.event).toBe(false);
  });

  it('accepts a UTF-8 byte-order mark and surrounding whitespace', () => {
    const body = `\n ${EXAMPLE_TELEMATICS} \n`;
    expect(
      accept(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]), 'telematics').event.eventId,
    ).toBe('t-9f2');
    expect(accept(`\ufeff${body}`, 'telematics').event.eventId).toBe('t-9f2');
  });

  it('accepts boundary values: lat/lon extremes, nps 0 and 10, zero amounts, 128-char ids, 64-char dealerId', () => {
    const id = 'x'.repeat(128);
    const t = accept(
      JSON.stringify({
        eventId: id,
        type: 'telematics.snapshot',
        occurredAt: '2026-04-12T10:00:00Z',
        dealerId: 'd'.repeat(64),
        data: { serialNumber: id, location: { latitude: -90, longitude: 180 }, cumulativeOperatingHours: 0 },
      }),
      'telematics',
    );
    expect(t.event.eventId).toHaveLength(128);
    expect(
      accept(
        envelope('survey.responded', { surveyId: 's', customerId: 'c', nps: 10, ces: 1, csat: 1 }),
        'service',
      ).event.data,
    ).toMatchObject({ nps: 10 });
  });
});
