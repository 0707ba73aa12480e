import { mapEquipment, parseFleetDocument } from './index';

const NOW = Date.parse('2026-11-24T03:30:00Z');
const map = (doc: unknown) =>
  mapEquipment(parseFleetDocument(JSON.stringify(doc)), { dealerId: 'd1', now: NOW });

describe('JSON converted from XML', () => {
  it('reads @-prefixed attributes (Newtonsoft SerializeXmlNode, BadgerFish), snapshotTime included', () => {
    const doc = parseFleetDocument(
      JSON.stringify({
        Fleet: {
          '@snapshotTime': '2026-11-21T00:00:00Z',
          '@version': '1',
          Equipment: [
            {
              EquipmentHeader: { SerialNumber: 'J3' },
              CumulativeOperatingHours: { '@datetime': '2026-11-20T09:00:00Z', Hour: '7' },
            },
            { EquipmentHeader: { SerialNumber: 'J5' }, CumulativeIdleHours: { Hour: { '#text': '2' } } },
          ],
        },
      }),
    );
    expect(doc.snapshotTime).toBe('2026-11-21T00:00:00Z');
    expect(doc.version).toBe('1');
    const { events, rejected } = mapEquipment(doc, { dealerId: 'd1', now: NOW });
    expect(rejected).toEqual([]);
    expect(events.map((e) => [e.data.serialNumber, e.occurredAt])).toEqual([
      ['J3', '2026-11-20T09:00:00Z'],
      ['J5', '2026-11-21T00:00:00Z'],
    ]);
    expect(events[0].data.cumulativeOperatingHours).toBe(7);
  });

  it('reads xml2js output: attributes under $, text under _, every element in an array', () => {
    const { events, rejected } = map({
      Fleet: {
        $: { version: '1', snapshotTime: '2026-11-21T00:00:00Z' },
        Equipment: [
          {
            EquipmentHeader: [{ SerialNumber: ['J4'] }],
            CumulativeOperatingHours: [
              { $: { datetime: '2026-11-20T09:00:00Z' }, Hour: [{ _: '90', $: { uom: 'min' } }] },
            ],
            Location: [{ $: { datetime: '2026-11-20T08:00:00Z' }, Latitude: ['47.5'], Longitude: ['8.25'] }],
          },
        ],
      },
    });
    expect(rejected).toEqual([]);
    expect(events).toHaveLength(1);
    expect(events[0].occurredAt).toBe('2026-11-20T09:00:00Z');
    expect(events[0].data).toEqual({
      serialNumber: 'J4',
      cumulativeOperatingHours: 1.5,
      location: { latitude: 47.5, longitude: 8.25 },
    });
  });

  it('reads a BadgerFish text under $ next to @ attributes', () => {
    const { events } = map({
      Fleet: {
        Equipment: {
          EquipmentHeader: { SerialNumber: { $: 'J6' } },
          FuelUsed: { '@datetime': '2026-11-20T09:00:00Z', FuelConsumed: { '@uom': 'gal', $: 10 } },
        },
      },
    });
    expect(events.map((e) => [e.data.serialNumber, e.occurredAt, e.data.fuelUsedLitres])).toEqual([
      ['J6', '2026-11-20T09:00:00Z', 37.854],
    ]);
  });
});
