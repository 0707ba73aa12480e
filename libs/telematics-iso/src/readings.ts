import { mapSeverity } from './severity';
import type { FaultCode, RawEquipment, RawReading, TelematicsSnapshotData } from './types';
import {
  booleanOf,
  dateTimeOf,
  EntryRejected,
  litresPerUnit,
  nonNegativeOf,
  numberOf,
  textOf,
  toRfc3339,
} from './values';

export type Readings = Omit<TelematicsSnapshotData, 'serialNumber' | 'oemName' | 'model'>;

/**
 * Validates the readings of one entry. Returns the usable values and the times of the readings that
 * gave them; throws EntryRejected naming the field of the first invalid value.
 */
export function collectReadings(raw: RawEquipment): { readings: Readings; times: number[] } {
  const readings: Readings = {};
  const times: number[] = [];
  const stamp = (r: RawReading, element: string) => {
    const t = dateTimeOf(r.datetime, `${element}.datetime`);
    if (t !== undefined) times.push(t);
  };

  if (raw.operatingHours) {
    const h = nonNegativeOf(raw.operatingHours.hour, 'CumulativeOperatingHours.Hour');
    if (h !== undefined) {
      readings.cumulativeOperatingHours = h;
      stamp(raw.operatingHours, 'CumulativeOperatingHours');
    }
  }
  if (raw.idleHours) {
    const h = nonNegativeOf(raw.idleHours.hour, 'CumulativeIdleHours.Hour');
    if (h !== undefined) {
      readings.cumulativeIdleHours = h;
      stamp(raw.idleHours, 'CumulativeIdleHours');
    }
  }
  if (raw.fuelUsed) {
    const used = nonNegativeOf(raw.fuelUsed.fuelConsumed, 'FuelUsed.FuelConsumed');
    if (used !== undefined) {
      const litres = used * litresPerUnit(raw.fuelUsed.fuelUnits, 'FuelUsed.FuelUnits');
      readings.fuelUsedLitres = Math.round(litres * 1000) / 1000;
      stamp(raw.fuelUsed, 'FuelUsed');
    }
  }
  if (raw.location) {
    const location = locationOf(raw.location);
    if (location) {
      readings.location = location;
      stamp(raw.location, 'Location');
    }
  }
  const running = raw.engineStatus.map((s, i) => {
    const value = booleanOf(s.running, `EngineStatus[${i}].Running`);
    if (value !== undefined) stamp(s, `EngineStatus[${i}]`);
    return value;
  });
  // Several EngineStatus elements mean several engines: the machine runs if any engine runs.
  if (running.some((r) => r !== undefined)) readings.engineRunning = running.includes(true);

  const faults = raw.faultCodes.map((f, i): FaultCode => {
    const code = textOf(f.code);
    if (code === undefined) throw new EntryRejected(`FaultCode[${i}] has no code`);
    const at = dateTimeOf(f.datetime, `FaultCode[${i}].datetime`);
    if (at !== undefined) times.push(at);
    return {
      code,
      severity: mapSeverity(f.severity),
      ...(at !== undefined && { firstSeenAt: toRfc3339(at) }),
    };
  });
  if (faults.length > 0) readings.faultCodes = faults;
  return { readings, times };
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
