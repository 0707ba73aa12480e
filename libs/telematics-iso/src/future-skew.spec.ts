import { FleetImport, formatImportSummary, mapEquipment, parseFleetDocument, snapshotEventId } from './index';
import type { TelematicsMessage } from './index';

// The reviewer's case: a gateway whose engine-status clock runs ten years ahead.
const NOW = Date.parse('2026-11-24T03:30:00Z');
const HEADER = '<EquipmentHeader><SerialNumber>FUT-1</SerialNumber></EquipmentHeader>';
const HOURS = (at: string) =>
  `<CumulativeOperatingHours datetime="${at}"><Hour>1500.5</Hour></CumulativeOperatingHours>`;
const LOCATION =
  '<Location datetime="2026-11-20T09:00:00Z"><Latitude>49.2</Latitude><Longitude>8.1</Longitude></Location>';
const ENGINE = (at: string) => `<EngineStatus datetime="${at}"><Running>false</Running></EngineStatus>`;
const LIMIT = 'more than 24 h after the import time 2026-11-24T03:30:00Z';

function map(body: string, fleetAttrs = '', maxFutureSkewMs?: number) {
  const xml = `<Fleet ${fleetAttrs}><Equipment>${body}</Equipment></Fleet>`;
  return mapEquipment(parseFleetDocument(xml), { dealerId: 'd1', now: NOW, maxFutureSkewMs });
}

describe('mapEquipment: datetimes in the future', () => {
  it('leaves a reading dated beyond the skew out of the event and takes the event time from the others', () => {
    const { events, rejected, dropped } = map(
      HEADER + HOURS('2026-11-20T09:00:00Z') + LOCATION + ENGINE('2036-11-20T09:00:00Z'),
    );
    expect(rejected).toEqual([]);
    expect(events).toHaveLength(1);
    expect(events[0].occurredAt).toBe('2026-11-20T09:00:00Z');
    expect(events[0].eventId).toBe(snapshotEventId('d1', 'FUT-1', '2026-11-20T09:00:00Z'));
    expect(events[0].data).toEqual({
      serialNumber: 'FUT-1',
      cumulativeOperatingHours: 1500.5,
      location: { latitude: 49.2, longitude: 8.1 },
    });
    expect(dropped).toEqual([
      {
        index: 0,
        serialNumber: 'FUT-1',
        reason: `EngineStatus[0].datetime 2036-11-20T09:00:00Z is ${LIMIT}: reading not published`,
      },
    ]);
  });

  it('keeps a fault dated in the future (it is active) without its firstSeenAt', () => {
    const fault =
      '<FaultCodes><FaultCode datetime="2099-01-01T00:00:00Z"><CodeIdentifier>CA431</CodeIdentifier></FaultCode></FaultCodes>';
    const { events, dropped } = map(HEADER + HOURS('2026-11-20T09:00:00Z') + fault);
    expect(events[0].occurredAt).toBe('2026-11-20T09:00:00Z');
    expect(events[0].data.faultCodes).toEqual([{ code: 'CA431', severity: 'low' }]);
    expect(dropped.map((d) => d.reason)).toEqual([
      `FaultCode[0].datetime 2099-01-01T00:00:00Z is ${LIMIT}: published without firstSeenAt`,
    ]);
  });

  it('accepts a datetime exactly at the limit and drops one a millisecond after it', () => {
    const skew = 60 * 60 * 1000;
    const atLimit = map(HEADER + HOURS('2026-11-24T04:30:00Z'), '', skew);
    expect(atLimit.events[0].occurredAt).toBe('2026-11-24T04:30:00Z');
    const after = map(HEADER + HOURS('2026-11-24T04:30:00.001Z') + LOCATION, '', skew);
    expect(after.events[0].occurredAt).toBe('2026-11-20T09:00:00Z');
    expect(after.dropped.map((d) => d.reason)).toEqual([
      'CumulativeOperatingHours.datetime 2026-11-24T04:30:00.001Z is more than 1 h after the import time 2026-11-24T03:30:00Z: reading not published',
    ]);
  });

  it('rejects an entry whose every reading is dated in the future, with the reasons', () => {
    const { events, rejected, dropped } = map(HEADER + HOURS('2036-11-20T09:00:00Z'));
    expect(events).toEqual([]);
    expect(dropped).toEqual([]);
    expect(rejected).toEqual([
      {
        index: 0,
        serialNumber: 'FUT-1',
        reason: `no plausible readings: CumulativeOperatingHours.datetime 2036-11-20T09:00:00Z is ${LIMIT}: reading not published`,
      },
    ]);
  });

  it('rejects an entry whose only time is a snapshotTime in the future', () => {
    const { events, rejected } = map(
      HEADER + '<CumulativeOperatingHours><Hour>7</Hour></CumulativeOperatingHours>',
      'snapshotTime="2030-01-01T00:00:00Z"',
    );
    expect(events).toEqual([]);
    expect(rejected[0].reason).toBe(
      `no reading has a datetime and snapshotTime 2030-01-01T00:00:00Z is ${LIMIT}`,
    );
  });

  it('refuses a reference time that is not a number', () => {
    const doc = parseFleetDocument(`<Fleet><Equipment>${HEADER}</Equipment></Fleet>`);
    expect(() => mapEquipment(doc, { dealerId: 'd1', now: NaN })).toThrow(/now must be epoch milliseconds/);
  });
});

describe('FleetImport: future datetimes', () => {
  it('takes the reference time from its clock per document and lists the dropped readings', async () => {
    const sent: TelematicsMessage[] = [];
    let clock = NOW;
    const run = new FleetImport({
      dealerId: 'd1',
      now: () => clock,
      publish: (m) => (sent.push(...m), Promise.resolve()),
    });
    const xml = `<Fleet><Equipment>${HEADER}${HOURS('2026-11-20T09:00:00Z')}${ENGINE('2026-11-26T00:00:00Z')}</Equipment></Fleet>`;
    await run.add('a.xml', parseFleetDocument(xml));
    clock = Date.parse('2026-11-25T12:00:00Z'); // a day and a half later the engine status is plausible
    await run.add('b.xml', parseFleetDocument(xml));
    const summary = run.result();

    expect(sent.map((m) => (JSON.parse(m.value) as { occurredAt: string }).occurredAt)).toEqual([
      '2026-11-20T09:00:00Z',
      '2026-11-26T00:00:00Z',
    ]);
    expect(summary.documents.map((d) => [d.label, d.published, d.dropped])).toEqual([
      ['a.xml', 1, 1],
      ['b.xml', 1, 0],
    ]);
    expect(formatImportSummary(summary)).toContain(
      '  readings left out of published events: 1\n' +
        `    - a.xml #0 serial FUT-1: EngineStatus[0].datetime 2026-11-26T00:00:00Z is ${LIMIT}: reading not published\n`,
    );
  });
});

describe('FleetImport: what ingest would refuse is reported, not published', () => {
  it('rejects an event the contract refuses (a serial over 128 characters), naming the reason', async () => {
    const sent: TelematicsMessage[] = [];
    const run = new FleetImport({
      dealerId: 'd1',
      now: () => NOW,
      publish: (m) => (sent.push(...m), Promise.resolve()),
    });
    const serial = 'S'.repeat(129);
    const xml =
      `<Fleet><Equipment><EquipmentHeader><SerialNumber>${serial}</SerialNumber></EquipmentHeader>` +
      `${HOURS('2026-11-20T09:00:00Z')}</Equipment><Equipment>${HEADER}${HOURS('2026-11-20T09:00:00Z')}</Equipment></Fleet>`;
    const doc = await run.add('a.xml', parseFleetDocument(xml));
    expect(sent.map((m) => m.key)).toEqual(['FUT-1']);
    expect(doc).toMatchObject({ published: 1, rejected: 1 });
    expect(run.result().rejected).toEqual([
      {
        document: 'a.xml',
        index: 0,
        serialNumber: serial,
        reason: expect.stringMatching(
          /^ingest would refuse the event \(SCHEMA_INVALID\): data\.serialNumber: /,
        ) as string,
      },
    ]);
  });
});
