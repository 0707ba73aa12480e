import { mapEquipment, parseFleetDocument, snapshotEventId } from './index';

/** The import's reference time: after every reading of these tests. */
const NOW = Date.parse('2026-04-12T00:00:00Z');

const HEADER =
  '<EquipmentHeader><OEMName>Takeuchi</OEMName><SerialNumber>S-1</SerialNumber></EquipmentHeader>';
const HOURS =
  '<CumulativeOperatingHours datetime="2026-04-10T08:00:00Z"><Hour>100</Hour></CumulativeOperatingHours>';

/** Maps a page holding the given Equipment bodies. */
function map(bodies: string[], fleetAttrs = '') {
  const xml = `<Fleet ${fleetAttrs}>${bodies.map((b) => `<Equipment>${b}</Equipment>`).join('')}</Fleet>`;
  return mapEquipment(parseFleetDocument(xml), { dealerId: 'd1', now: NOW });
}

function reasonFor(body: string, fleetAttrs = ''): string | undefined {
  const { events, rejected } = map([body], fleetAttrs);
  expect(events).toHaveLength(0);
  return rejected[0]?.reason;
}

describe('mapEquipment', () => {
  it('maps idle hours, fuel in US gallons, several engines and faults with mapped severities', () => {
    const { events, rejected } = map([
      HEADER +
        HOURS +
        '<CumulativeIdleHours datetime="2026-04-10T08:00:00Z"><Hour>12.5</Hour></CumulativeIdleHours>' +
        '<FuelUsed datetime="2026-04-10T07:00:00+02:00"><FuelUnits>US gallon</FuelUnits><FuelConsumed>10</FuelConsumed></FuelUsed>' +
        '<EngineStatus><Running>false</Running></EngineStatus><EngineStatus><Running>1</Running></EngineStatus>' +
        '<FaultCodes><FaultCode datetime="2026-04-09T10:00:00+08:00"><CodeIdentifier>CA431</CodeIdentifier>' +
        '<CodeSeverity>Shutdown</CodeSeverity></FaultCode><FaultCode><CodeIdentifier>E7</CodeIdentifier></FaultCode></FaultCodes>',
    ]);
    expect(rejected).toEqual([]);
    expect(events[0]).toEqual({
      eventId: snapshotEventId('d1', 'S-1', '2026-04-10T08:00:00Z'),
      type: 'telematics.snapshot',
      occurredAt: '2026-04-10T08:00:00Z',
      dealerId: 'd1',
      source: 'iso15143-3',
      schemaVersion: 1,
      data: {
        serialNumber: 'S-1',
        oemName: 'Takeuchi',
        cumulativeOperatingHours: 100,
        cumulativeIdleHours: 12.5,
        fuelUsedLitres: 37.854,
        engineRunning: true,
        faultCodes: [
          { code: 'CA431', severity: 'critical', firstSeenAt: '2026-04-09T02:00:00Z' },
          { code: 'E7', severity: 'low' },
        ],
      },
    });
  });

  it('derives the event id from dealer, serial and event time only', () => {
    expect(snapshotEventId('d1', 'S-1', '2026-04-10T08:00:00Z')).toBe(
      'iso15143-74ec72d7373e480df634912eec5c0926', // printf 'd1|S-1|2026-04-10T08:00:00Z' | sha256sum,
    );
    const a = map([HEADER + HOURS]).events[0].eventId;
    const sameInstant = map([
      HEADER +
        '<CumulativeOperatingHours datetime="2026-04-10T10:00:00+02:00"><Hour>100</Hour></CumulativeOperatingHours>',
    ]).events[0];
    expect(sameInstant.occurredAt).toBe('2026-04-10T08:00:00Z');
    expect(sameInstant.eventId).toBe(a);
  });

  it('falls back to PIN for the serial, and to snapshotTime when no reading has a time', () => {
    const { events } = map(
      [
        '<EquipmentHeader><SerialNumber>missing</SerialNumber><PIN>PIN-9</PIN></EquipmentHeader><Location>' +
          '<Latitude>-33.9</Latitude><Longitude>151.2</Longitude></Location>',
      ],
      'snapshotTime="2026-04-10T18:00:00Z"',
    );
    expect(events[0].occurredAt).toBe('2026-04-10T18:00:00Z');
    expect(events[0].data).toEqual({
      serialNumber: 'PIN-9',
      location: { latitude: -33.9, longitude: 151.2 },
    });
  });

  it('treats the 0001-01-01 placeholder as no time and a 0,0 location as no GPS fix', () => {
    const { events } = map(
      [
        HEADER +
          '<CumulativeOperatingHours datetime="0001-01-01T00:00:00Z"><Hour>5</Hour></CumulativeOperatingHours>' +
          '<Location datetime="2026-04-10T09:00:00Z"><Latitude>0</Latitude><Longitude>0</Longitude></Location>',
      ],
      'snapshotTime="2026-04-10T18:00:00Z"',
    );
    expect(events[0].occurredAt).toBe('2026-04-10T18:00:00Z');
    expect(events[0].data).toEqual({ serialNumber: 'S-1', oemName: 'Takeuchi', cumulativeOperatingHours: 5 });
  });

  it('keeps mapping the good entries around a bad one and reports the bad one by index', () => {
    const { events, rejected } = map([
      HEADER + HOURS,
      '<EquipmentHeader><SerialNumber>S-2</SerialNumber></EquipmentHeader><CumulativeOperatingHours>' +
        '<Hour>-1</Hour></CumulativeOperatingHours>',
      HEADER.replace('S-1', 'S-3') + HOURS,
    ]);
    expect(events.map((e) => e.data.serialNumber)).toEqual(['S-1', 'S-3']);
    expect(rejected).toEqual([
      { index: 1, serialNumber: 'S-2', reason: 'CumulativeOperatingHours.Hour is negative (-1)' },
    ]);
  });

  it.each([
    [
      'no serial at all',
      '<EquipmentHeader><EquipmentID>U-7</EquipmentID></EquipmentHeader>' + HOURS,
      'EquipmentHeader.SerialNumber is absent and there is no usable PIN',
    ],
    [
      'no readings',
      HEADER,
      'no readings: the entry has no CumulativeOperatingHours, CumulativeIdleHours, FuelUsed, Location, EngineStatus or fault code value',
    ],
    [
      'negative idle hours',
      HEADER + '<CumulativeIdleHours><Hour>-0.5</Hour></CumulativeIdleHours>',
      'CumulativeIdleHours.Hour is negative (-0.5)',
    ],
    [
      'non-numeric hours',
      HEADER + '<CumulativeOperatingHours><Hour>12h</Hour></CumulativeOperatingHours>',
      "CumulativeOperatingHours.Hour is not a number ('12h')",
    ],
    [
      'negative fuel',
      HEADER + '<FuelUsed><FuelConsumed>-3</FuelConsumed></FuelUsed>',
      'FuelUsed.FuelConsumed is negative (-3)',
    ],
    [
      'unknown fuel unit',
      HEADER + '<FuelUsed><FuelUnits>kg</FuelUnits><FuelConsumed>3</FuelConsumed></FuelUsed>',
      "FuelUsed.FuelUnits 'kg' is not a known volume unit",
    ],
    [
      'latitude out of range',
      HEADER + '<Location><Latitude>91</Latitude><Longitude>8</Longitude></Location>',
      'Location.Latitude 91 is outside -90..90',
    ],
    [
      'longitude out of range',
      HEADER + '<Location><Latitude>47</Latitude><Longitude>-180.5</Longitude></Location>',
      'Location.Longitude -180.5 is outside -180..180',
    ],
    [
      'latitude without longitude',
      HEADER + '<Location><Latitude>47</Latitude></Location>',
      'Location.Longitude is missing (Latitude is present)',
    ],
    [
      'unparseable date',
      HEADER + '<CumulativeOperatingHours datetime="20/05/2021"><Hour>1</Hour></CumulativeOperatingHours>',
      "CumulativeOperatingHours.datetime is not a valid date-time ('20/05/2021')",
    ],
    [
      'impossible date',
      HEADER +
        '<Location datetime="2021-02-30T10:00:00Z"><Latitude>1</Latitude><Longitude>1</Longitude></Location>',
      "Location.datetime is not a valid date-time ('2021-02-30T10:00:00Z')",
    ],
    [
      'non-boolean engine status',
      HEADER + '<EngineStatus><Running>maybe</Running></EngineStatus>',
      "EngineStatus[0].Running is not a boolean ('maybe')",
    ],
    [
      'fault code without a code',
      HEADER + '<FaultCode><CodeSeverity>High</CodeSeverity></FaultCode>',
      'FaultCode[0] has no code',
    ],
    [
      'no time anywhere',
      HEADER + '<CumulativeOperatingHours><Hour>1</Hour></CumulativeOperatingHours>',
      'no reading has a datetime and the document has no snapshotTime',
    ],
  ])('rejects an entry with %s', (_label, body, reason) => {
    expect(reasonFor(body)).toBe(reason);
  });

  it('rejects on an unparseable snapshotTime only when it is needed', () => {
    const body = HEADER + '<CumulativeOperatingHours><Hour>1</Hour></CumulativeOperatingHours>';
    expect(reasonFor(body, 'snapshotTime="yesterday"')).toBe(
      "snapshotTime is not a valid date-time ('yesterday')",
    );
    expect(map([HEADER + HOURS], 'snapshotTime="yesterday"').events).toHaveLength(1);
  });

  it('refuses a missing or oversized dealerId', () => {
    const doc = parseFleetDocument('<Fleet/>');
    expect(() => mapEquipment(doc, { dealerId: '', now: NOW })).toThrow(/dealerId/);
    expect(() => mapEquipment(doc, { dealerId: 'x'.repeat(65), now: NOW })).toThrow(/dealerId/);
  });
});
