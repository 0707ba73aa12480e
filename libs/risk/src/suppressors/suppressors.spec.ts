import type { LocationFix } from '../model/machine-state';
import { DAY, RULES, SERIAL, at, expectedId, machine, reading, rulesWith } from '../spec-helpers';
import { checkMachineParked } from './machine-parked';
import { checkMachineRelocated } from './machine-relocated';
import { checkMachineSold } from './machine-sold';
import { checkNotReporting } from './not-reporting';

const T = at('2026-01-01');

describe('MACHINE_SOLD', () => {
  it('suppresses from the transfer on, with evidence', () => {
    const m = machine({ sold: { at: T, toCustomerId: 'c-99', eventId: 'own-1' } });
    expect(checkMachineSold(m, T - 1, RULES)).toEqual({ suppression: null, nextCheckAtMs: null });
    expect(checkMachineSold(m, T, RULES).suppression).toEqual({
      id: expectedId(SERIAL, 'MACHINE_SOLD', 'sold:own-1'),
      dealerId: 'd1',
      customerId: 'c-17',
      serialNumber: SERIAL,
      reasonCode: 'MACHINE_SOLD',
      message: `${SERIAL} sold to c-99 on 2026-01-01`,
      evidenceEventIds: ['own-1'],
      ruleId: 'default:MACHINE_SOLD',
      ruleVersion: '1',
      detectedAtMs: T,
      sinceMs: T,
      episode: 'sold:own-1',
    });
  });
});

describe('MACHINE_PARKED', () => {
  /** Flat at 1262.4 h from T, the last flat reading `flatFor` ms later. */
  const flat = (flatFor: number) =>
    machine({
      readings: [
        reading(T - 10 * DAY, 1200, 't-0'),
        reading(T, 1262.4, 't-1'),
        reading(T + 30 * DAY, 1262.4, 't-2'),
        reading(T + flatFor, 1262.4, 't-3'),
      ],
    });
  it('suppresses once readings show the meter flat for 60 days, not 60 days minus 1 ms', () => {
    expect(checkMachineParked(flat(60 * DAY - 1), T + 90 * DAY, RULES)).toEqual({
      suppression: null,
      nextCheckAtMs: null,
    });
    expect(checkMachineParked(flat(60 * DAY), T + 60 * DAY, RULES).suppression).toMatchObject({
      reasonCode: 'MACHINE_PARKED',
      message: `${SERIAL} parked: hour meter flat at 1262.4 h since 2026-01-01`,
      evidenceEventIds: ['t-1', 't-3'],
      sinceMs: T,
      detectedAtMs: T + 60 * DAY,
    });
    // As of 1 ms before that reading it is not known yet.
    expect(checkMachineParked(flat(60 * DAY), T + 60 * DAY - 1, RULES)).toEqual({
      suppression: null,
      nextCheckAtMs: null,
    });
  });
  it('does not park a machine whose unit went dark: no reading shows a flat meter', () => {
    // 8 h a day until its warranty ended, then nothing: NOT_REPORTING's case, not a parked machine.
    const readings = Array.from({ length: 60 }, (_, i) => reading(T + i * DAY, 1000 + 8 * i, `t-${i}`));
    const dark = machine({ readings });
    for (const asOf of [T + 120 * DAY, T + 365 * DAY])
      expect(checkMachineParked(dark, asOf, RULES)).toEqual({ suppression: null, nextCheckAtMs: null });
    // It reports again at the same meter 60 days after its last reading: now readings show it parked.
    const back = machine({ readings: [...readings, reading(T + 119 * DAY, 1472, 'u-1')] });
    expect(checkMachineParked(back, T + 119 * DAY, RULES).suppression).toMatchObject({
      message: `${SERIAL} parked: hour meter flat at 1472.0 h since 2026-03-01`,
      evidenceEventIds: ['t-59', 'u-1'],
    });
  });
  it('is lifted by any meter increase, and tolerates configured noise', () => {
    const m = flat(60 * DAY);
    const moved = machine({ readings: [...m.readings, reading(T + 61 * DAY, 1262.5, 't-4')] });
    expect(checkMachineParked(moved, T + 62 * DAY, RULES).suppression).toBeNull();
    const tolerant = rulesWith({ machineParked: { toleranceHours: 0.2 } });
    expect(checkMachineParked(moved, T + 62 * DAY, tolerant).suppression).toMatchObject({
      sinceMs: T,
      evidenceEventIds: ['t-1', 't-4'],
    });
  });
  it('ignores a later, lower reading (a glitch) as proof of a flat meter', () => {
    const glitch = machine({
      readings: [reading(T, 1262.4, 't-1'), reading(T + 70 * DAY, 3.5, 't-2')],
    });
    expect(checkMachineParked(glitch, T + 70 * DAY, RULES).suppression).toBeNull();
  });
  it('never parks a machine without readings', () => {
    expect(checkMachineParked(machine(), T, RULES)).toEqual({ suppression: null, nextCheckAtMs: null });
  });
});

describe('MACHINE_RELOCATED', () => {
  // b-north centred on Shanghai, 100 km. 1 degree of latitude is ~111.2 km.
  const rules = rulesWith({}, { serviceAreas: { 'b-north': { lat: 31.23, lon: 121.47, radiusKm: 100 } } });
  const fix = (when: number, lat: number, eventId: string): LocationFix => ({
    at: when,
    lat,
    lon: 121.47,
    eventId,
  });
  const m = machine({
    locations: [fix(T - DAY, 31.3, 'l-0'), fix(T, 33.5, 'l-1'), fix(T + 10 * DAY, 33.6, 'l-2')],
  });

  it('suppresses after more than 30 days outside the area (day 31), not on day 30', () => {
    expect(checkMachineRelocated(m, T + 31 * DAY - 1, rules)).toEqual({
      suppression: null,
      nextCheckAtMs: T + 31 * DAY,
    });
    expect(checkMachineRelocated(m, T + 31 * DAY, rules).suppression).toMatchObject({
      reasonCode: 'MACHINE_RELOCATED',
      message: `${SERIAL} outside the service area of b-north since 2026-01-01 (263.5 km from its centre)`,
      evidenceEventIds: ['l-1', 'l-2'],
      sinceMs: T,
    });
  });
  it('is lifted by a fix back inside the area; needs a configured area', () => {
    const back = machine({ locations: [...m.locations, fix(T + 40 * DAY, 31.5, 'l-3')] });
    expect(checkMachineRelocated(back, T + 41 * DAY, rules).suppression).toBeNull();
    expect(checkMachineRelocated(m, T + 60 * DAY, RULES)).toEqual({ suppression: null, nextCheckAtMs: null });
  });
  it('treats the radius as inside', () => {
    const edge = rulesWith({}, { serviceAreas: { 'b-north': { lat: 31.23, lon: 121.47, radiusKm: 263.6 } } });
    expect(checkMachineRelocated(m, T + 60 * DAY, edge).suppression).toBeNull();
  });
});

describe('NOT_REPORTING', () => {
  const m = machine({ lastTelematics: { at: T, eventId: 't-9' } });
  it('suppresses after 14 days without telematics, not 13', () => {
    expect(checkNotReporting(m, T + 14 * DAY - 1, RULES)).toEqual({
      suppression: null,
      nextCheckAtMs: T + 14 * DAY,
    });
    expect(checkNotReporting(m, T + 14 * DAY, RULES).suppression).toMatchObject({
      reasonCode: 'NOT_REPORTING',
      message: `${SERIAL} not reporting: no telematics since 2026-01-01`,
      evidenceEventIds: ['t-9'],
    });
  });
  it('does not flag a machine that never reported', () => {
    expect(checkNotReporting(machine(), T, RULES)).toEqual({ suppression: null, nextCheckAtMs: null });
  });
});
