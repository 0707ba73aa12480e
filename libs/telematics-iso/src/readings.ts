import { mapSeverity } from './severity';
import type { FaultCode, RawEquipment, RawReading, RawScalar, TelematicsSnapshotData } from './types';
import {
  booleanOf,
  converted,
  dateTimeOf,
  EntryRejected,
  hoursPerUnit,
  litresPerUnit,
  nonNegativeOf,
  numberOf,
  textOf,
  toRfc3339,
} from './values';

export type Readings = Omit<TelematicsSnapshotData, 'serialNumber' | 'oemName' | 'model'>;

/** The latest plausible datetime (the import's reference time plus the ingest's future skew). */
export interface TimeLimit {
  latestMs: number;
  /** e.g. `more than 24 h after the import time 2026-11-24T03:31:00Z` */
  describe: string;
}

/**
 * Validates the readings of one entry. Returns the usable values, the times of the readings that gave
 * them, and why a reading was left out: one dated after `limit` (a gateway with a wrong clock) is not
 * published, and it cannot move the event time into the future where ingest would dead-letter the whole
 * snapshot. Throws EntryRejected naming the field of the first invalid value.
 */
export function collectReadings(
  raw: RawEquipment,
  limit: TimeLimit,
): { readings: Readings; times: number[]; dropped: string[] } {
  const readings: Readings = {};
  const times: number[] = [];
  const dropped: string[] = [];
  /** Whether the reading is plausible; its time (if any) then counts toward the event time. */
  const stamp = (r: RawReading, element: string): boolean => {
    const t = dateTimeOf(r.datetime, `${element}.datetime`);
    if (t !== undefined && t > limit.latestMs) {
      dropped.push(`${element}.datetime ${toRfc3339(t)} is ${limit.describe}: reading not published`);
      return false;
    }
    if (t !== undefined) times.push(t);
    return true;
  };

  if (raw.operatingHours) {
    const h = hoursOf(raw.operatingHours, 'CumulativeOperatingHours');
    if (h !== undefined && stamp(raw.operatingHours, 'CumulativeOperatingHours')) {
      readings.cumulativeOperatingHours = h;
    }
  }
  if (raw.idleHours) {
    const h = hoursOf(raw.idleHours, 'CumulativeIdleHours');
    if (h !== undefined && stamp(raw.idleHours, 'CumulativeIdleHours')) readings.cumulativeIdleHours = h;
  }
  if (raw.fuelUsed) {
    const used = nonNegativeOf(raw.fuelUsed.fuelConsumed, 'FuelUsed.FuelConsumed');
    if (used !== undefined) {
      const litres = used * fuelFactor(raw.fuelUsed);
      if (stamp(raw.fuelUsed, 'FuelUsed')) readings.fuelUsedLitres = Math.round(litres * 1000) / 1000;
    }
  }
  if (raw.location) {
    const location = locationOf(raw.location);
    if (location && stamp(raw.location, 'Location')) readings.location = location;
  }
  const running = raw.engineStatus.map((s, i) => {
    const value = booleanOf(s.running, `EngineStatus[${i}].Running`);
    return value !== undefined && stamp(s, `EngineStatus[${i}]`) ? value : undefined;
  });
  // Several EngineStatus elements mean several engines: the machine runs if any engine runs.
  if (running.some((r) => r !== undefined)) readings.engineRunning = running.includes(true);

  const faults = raw.faultCodes.map((f, i): FaultCode => {
    const code = textOf(f.code);
    if (code === undefined) throw new EntryRejected(`FaultCode[${i}] has no code`);
    let at = dateTimeOf(f.datetime, `FaultCode[${i}].datetime`);
    if (at !== undefined && at > limit.latestMs) {
      // The code is in the snapshot, so it is active now; only when it was first seen is unknown.
      dropped.push(
        `FaultCode[${i}].datetime ${toRfc3339(at)} is ${limit.describe}: published without firstSeenAt`,
      );
      at = undefined;
    }
    if (at !== undefined) times.push(at);
    return {
      code,
      severity: mapSeverity(f.severity),
      ...(at !== undefined && { firstSeenAt: toRfc3339(at) }),
    };
  });
  if (faults.length > 0) readings.faultCodes = faults;
  return { readings, times, dropped };
}

/** An hour meter in hours, converted from the unit its `Hour` element states (`uom`). */
function hoursOf(r: { hour?: RawScalar; hourUnit?: RawScalar }, element: string): number | undefined {
  const h = nonNegativeOf(r.hour, `${element}.Hour`);
  return h === undefined ? undefined : converted(h, hoursPerUnit(r.hourUnit, `${element}.Hour`));
}

/** Litres per unit of the fuel reading: `FuelUnits`, or the `uom` of `FuelConsumed`; both must agree. */
function fuelFactor(f: NonNullable<RawEquipment['fuelUsed']>): number {
  const byElement = litresPerUnit(f.fuelUnits, 'FuelUsed.FuelUnits');
  if (textOf(f.consumedUnit) === undefined) return byElement;
  const byAttribute = litresPerUnit(f.consumedUnit, 'FuelUsed.FuelConsumed uom');
  if (textOf(f.fuelUnits) !== undefined && byAttribute !== byElement) {
    throw new EntryRejected(
      `FuelUsed.FuelConsumed uom '${textOf(f.consumedUnit)}' contradicts FuelUnits '${textOf(f.fuelUnits)}'`,
    );
  }
  return byAttribute;
}

function locationOf(raw: NonNullable<RawEquipment['location']>): Readings['location'] {
  const latitude = numberOf(raw.latitude, 'Location.Latitude');
  const longitude = numberOf(raw.longitude, 'Location.Longitude');
  if (latitude === undefined && longitude === undefined) return undefined;
  if (latitude === undefined) throw new EntryRejected('Location.Latitude is missing (Longitude is present)');
  if (longitude === undefined) throw new EntryRejected('Location.Longitude is missing (Latitude is present)');
  if (latitude < -90 || latitude > 90)
    throw new EntryRejected(`Location.Latitude ${latitude} is outside -90..90`);
  if (longitude < -180 || longitude > 180) {
    throw new EntryRejected(`Location.Longitude ${longitude} is outside -180..180`);
  }
  // 0,0 is what gateways report before their first GPS fix, not a machine in the Gulf of Guinea.
  if (latitude === 0 && longitude === 0) return undefined;
  return { latitude, longitude };
}
