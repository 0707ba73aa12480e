import { fleetHours } from './fleet-hours';
import type { ReadingRow } from './machine-state.sql';

const at = (iso: string) => Date.parse(iso);
const reading = (serial: string, when: string, hours: string | null, id = when): ReadingRow => ({
  serial_number: serial,
  event_id: `${serial}-${id}`,
  at: at(when),
  hours,
  lat: null,
  lon: null,
  fault_codes: [],
  reports_faults: false,
});
const bySerial = (rows: ReadingRow[]) => {
  const m = new Map<string, ReadingRow[]>();
  for (const r of [...rows].sort((a, b) => a.at - b.at))
    m.set(r.serial_number, [...(m.get(r.serial_number) ?? []), r]);
  return m;
};
const forever = (customerId: string, serialNumber: string) => ({
  customerId,
  serialNumber,
  fromMs: null,
  toMs: null,
});

describe('fleetHours', () => {
  it('counts the increase of the day-end meter over the previous day with a reading, summed over the fleet', () => {
    const rows = bySerial([
      reading('M1', '2026-03-01T08:00:00Z', '100'),
      reading('M1', '2026-03-01T17:00:00Z', '104.5'),
      reading('M1', '2026-03-04T17:00:00Z', '110.1'),
      reading('M2', '2026-03-03T10:00:00Z', '50'),
      reading('M2', '2026-03-04T10:00:00Z', '52.2'),
    ]);
    const out = fleetHours(rows, [forever('C', 'M1'), forever('C', 'M2')], () => 0);
    expect(out).toEqual([{ customer_id: 'C', day_ms: at('2026-03-04'), hours: 7.8 }]);
  });

  it('never counts a lower reading as a negative run (running maximum) and skips readings without a meter', () => {
    const rows = bySerial([
      reading('M1', '2026-03-01T10:00:00Z', '100'),
      reading('M1', '2026-03-02T10:00:00Z', '90'),
      reading('M1', '2026-03-03T10:00:00Z', null),
      reading('M1', '2026-03-04T10:00:00Z', '103'),
    ]);
    expect(fleetHours(rows, [forever('C', 'M1')], () => 0)).toEqual([
      { customer_id: 'C', day_ms: at('2026-03-02'), hours: 0 },
      { customer_id: 'C', day_ms: at('2026-03-04'), hours: 3 },
    ]);
  });

  it('gives each owner only the days whose last reading falls in its ownership, and starts at its history start', () => {
    const rows = bySerial([
      reading('M1', '2026-03-01T10:00:00Z', '100'),
      reading('M1', '2026-03-02T10:00:00Z', '108'),
      reading('M1', '2026-03-03T10:00:00Z', '115'),
      reading('M1', '2026-03-04T10:00:00Z', '121'),
    ]);
    const sale = at('2026-03-03T00:00:00Z');
    const out = fleetHours(
      rows,
      [
        { customerId: 'A', serialNumber: 'M1', fromMs: null, toMs: sale },
        { customerId: 'B', serialNumber: 'M1', fromMs: sale, toMs: null },
      ],
      (c) => (c === 'B' ? at('2026-03-02T12:00:00Z') : 0),
    );
    expect(out).toEqual([
      { customer_id: 'A', day_ms: at('2026-03-02'), hours: 8 },
      { customer_id: 'B', day_ms: at('2026-03-04'), hours: 6 },
    ]);
  });
});
