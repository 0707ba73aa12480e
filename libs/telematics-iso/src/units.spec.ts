import { mapEquipment, parseFleetDocument } from './index';

const NOW = Date.parse('2026-11-24T03:30:00Z');
const AT = 'datetime="2026-11-20T09:00:00Z"';

function map(readings: string) {
  const xml =
    `<Fleet><Equipment><EquipmentHeader><SerialNumber>UOM-1</SerialNumber></EquipmentHeader>` +
    `${readings}</Equipment></Fleet>`;
  return mapEquipment(parseFleetDocument(xml), { dealerId: 'd1', now: NOW });
}
const hours = (uom: string, value: string) =>
  map(`<CumulativeOperatingHours ${AT}><Hour uom="${uom}">${value}</Hour></CumulativeOperatingHours>`);
const fuel = (inner: string) => map(`<FuelUsed ${AT}>${inner}</FuelUsed>`);

describe('mapEquipment: uom attributes', () => {
  it.each([
    ['h', '1500.5'],
    ['hr', '1500.5'],
    ['Hours', '1500.5'],
    ['min', '90030'],
    ['minute', '90030'],
    ['s', '5401800'],
    ['sec', '5401800'],
    ['seconds', '5401800'],
  ])('reads an hour meter in %s as hours', (uom, value) => {
    const { events, rejected } = hours(uom, value);
    expect(rejected).toEqual([]);
    expect(events[0].data.cumulativeOperatingHours).toBe(1500.5);
  });

  it('converts idle hours and a unit stated on the reading element itself', () => {
    const { events } = map(
      `<CumulativeIdleHours ${AT} uom="min"><Hour>90</Hour></CumulativeIdleHours>` +
        `<CumulativeOperatingHours ${AT}><Hour unit="min">61</Hour></CumulativeOperatingHours>`,
    );
    expect(events[0].data).toMatchObject({ cumulativeIdleHours: 1.5, cumulativeOperatingHours: 1.017 });
  });

  it('rejects an hour meter in an unknown unit, naming the element and the unit', () => {
    const { events, rejected } = hours('km', '12');
    expect(events).toEqual([]);
    expect(rejected.map((r) => r.reason)).toEqual([
      "CumulativeOperatingHours.Hour uom 'km' is not a known time unit (h, min or s)",
    ]);
  });

  it('reads FuelConsumed in the unit of its uom attribute when FuelUnits is absent', () => {
    expect(fuel('<FuelConsumed uom="gal">100</FuelConsumed>').events[0].data.fuelUsedLitres).toBe(378.541);
    expect(fuel('<FuelConsumed uom="m3">1.5</FuelConsumed>').events[0].data.fuelUsedLitres).toBe(1500);
    expect(fuel('<FuelConsumed uom="litre">12</FuelConsumed>').events[0].data.fuelUsedLitres).toBe(12);
  });

  it('accepts a uom that agrees with FuelUnits and rejects one that contradicts it', () => {
    const agree = fuel('<FuelUnits>US gallon</FuelUnits><FuelConsumed uom="gal">10</FuelConsumed>');
    expect(agree.events[0].data.fuelUsedLitres).toBe(37.854);
    const contradict = fuel('<FuelUnits>litre</FuelUnits><FuelConsumed uom="gal">10</FuelConsumed>');
    expect(contradict.events).toEqual([]);
    expect(contradict.rejected[0].reason).toBe(
      "FuelUsed.FuelConsumed uom 'gal' contradicts FuelUnits 'litre'",
    );
  });

  it('rejects FuelConsumed in an unknown unit', () => {
    const { rejected } = fuel('<FuelConsumed uom="kWh">10</FuelConsumed>');
    expect(rejected[0].reason).toBe("FuelUsed.FuelConsumed uom 'kWh' is not a known volume unit");
  });
});
