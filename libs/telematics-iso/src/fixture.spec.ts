import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { mapEquipment, parseFleetDocument } from './index';

// A real OEM feed, kept in tests/fixtures with its NOTICE and MIT licence.
const FIXTURE = path.resolve(__dirname, '../../../tests/fixtures/iso15143-3/takeuchi-fleet-snapshot.xml');

// The import's reference time (the feed's readings are from 2021).
const NOW = Date.parse('2026-04-12T00:00:00Z');

describe('Takeuchi TFM fleet snapshot (real ISO 15143-3 feed)', () => {
  const text = readFileSync(FIXTURE, 'utf8');
  const doc = parseFleetDocument(text);
  const { events, indexes, rejected, dropped } = mapEquipment(doc, {
    dealerId: 'dealer-east',
    source: 'takeuchi-tfm',
    now: NOW,
  });
  const bySerial = (serial: string) => events.find((e) => e.data.serialNumber === serial);

  it('reads the page header: version, next link and all 27 equipment entries', () => {
    expect(doc.version).toBe('20190501');
    expect(doc.snapshotTime).toBeUndefined();
    expect(doc.nextLink).toBe('https://api20.takeuchi-us.com/Telematics/Fleet/0');
    expect(doc.equipment).toHaveLength(27);
  });

  it('maps 23 entries and rejects 4: three header-only entries and one with serial "missing"', () => {
    expect(events).toHaveLength(23);
    expect(rejected).toEqual([
      {
        index: 0,
        serialNumber: '190502863',
        equipmentId: '7020027516',
        reason: expect.stringMatching(/^no readings/),
      },
      {
        index: 3,
        equipmentId: '4962039310',
        reason: "EquipmentHeader.SerialNumber is a placeholder ('missing') and there is no usable PIN",
      },
      {
        index: 5,
        serialNumber: '124004786',
        equipmentId: '4962038493',
        reason: expect.stringMatching(/^no readings/),
      },
      {
        index: 26,
        serialNumber: '190400320',
        equipmentId: '4961051185',
        reason: expect.stringMatching(/^no readings/),
      },
    ]);
    expect(events.every((e) => e.type === 'telematics.snapshot' && e.dealerId === 'dealer-east')).toBe(true);
    expect(new Set(events.map((e) => e.data.serialNumber)).size).toBe(23);
  });

  it('maps machine 190502580 with hours, fuel, location, engine and the newest reading time', () => {
    expect(bySerial('190502580')).toEqual({
      eventId: expect.stringMatching(/^iso15143-[0-9a-f]{32}$/),
      type: 'telematics.snapshot',
      occurredAt: '2021-05-20T11:08:34Z',
      dealerId: 'dealer-east',
      source: 'takeuchi-tfm',
      schemaVersion: 1,
      data: {
        serialNumber: '190502580',
        oemName: 'Takeuchi',
        model: 'TB290-2',
        cumulativeOperatingHours: 233.7,
        fuelUsedLitres: 1560,
        location: { latitude: 49.23709, longitude: 8.093496 },
        engineRunning: true,
      },
    });
  });

  it('reads hours whose datetime is a child element and drops the placeholder model "missing"', () => {
    // Hours dated 2021-05-20T11:15:02Z (child element) are newer than its attribute-dated readings.
    const m = bySerial('125100588')!;
    expect(m.occurredAt).toBe('2021-05-20T11:15:02Z');
    expect(m.data).toEqual({
      serialNumber: '125100588',
      oemName: 'Takeuchi',
      cumulativeOperatingHours: 780,
      fuelUsedLitres: 2541,
      location: { latitude: 47.63594, longitude: 7.985694 },
      engineRunning: true,
    });
  });

  it('takes the location time when the hour meter reading is older', () => {
    const m = bySerial('190500650')!;
    expect(m.occurredAt).toBe('2021-05-20T06:08:52Z');
    expect(m.data.cumulativeOperatingHours).toBe(1053.8);
    expect(m.data.location).toEqual({ latitude: 48.58553, longitude: 8.121322 });
  });

  it('gives identical events, ids included, when the same document is imported twice', () => {
    const again = mapEquipment(parseFleetDocument(text), {
      dealerId: 'dealer-east',
      source: 'takeuchi-tfm',
      now: NOW,
    });
    expect(again).toEqual({ events, indexes, rejected, dropped });
    expect(dropped).toEqual([]);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(23);
  });

  it('gives other ids to another dealer importing the same machines', () => {
    const other = mapEquipment(doc, { dealerId: 'dealer-west', now: NOW }).events;
    expect(other.map((e) => e.eventId).filter((id) => events.some((e) => e.eventId === id))).toEqual([]);
    expect(other[0].source).toBe('iso15143-3');
  });
});
