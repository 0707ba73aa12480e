import type { FaultCode, TelematicsSnapshotEvent } from '@rp/contracts';
import type { IngestEvent } from './ingest-event';

export const machineKey = (dealerId: string, serial: string) => `${dealerId}\u0000${serial}`;

/** One machine's snapshots of a batch folded in event-time order, with its readings that carry hours. */
export interface MachineFold {
  dealerId: string;
  serial: string;
  oemName?: string;
  /** Event time and id of the snapshot `oemName` comes from (the newest that carries one). */
  oemNameAt?: number;
  oemNameEventId?: string;
  model?: string;
  modelAt?: number;
  modelEventId?: string;
  hours?: number;
  hoursAt?: number;
  idle?: number;
  fuel?: number;
  /** The newest location, with the event time and id of its snapshot. */
  location?: { latitude: number; longitude: number; at: number; eventId: string };
  engineRunning?: boolean;
  engineRunningAt?: number;
  engineRunningEventId?: string;
  faults?: FaultCode[];
  faultsAt?: number;
  faultsEventId?: string;
  lastAt: number;
  lastEventId: string;
  withHours: IngestEvent<TelematicsSnapshotEvent>[];
}

const activeFaults = (f: FaultCode[] | undefined): FaultCode[] | undefined => f?.filter((c) => !c.clearedAt);

const higher = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

/**
 * Folds `e` (later in event time than everything folded so far) into its machine, in place: one object
 * per machine, not one per snapshot. The hour meter keeps the maximum and the last time it was read (the
 * greatest (hours, time) pair, as the cross-batch SQL keeps it), "latest" fields take the newest value present.
 */
function foldInto(m: MachineFold, e: IngestEvent<TelematicsSnapshotEvent>): void {
  const d = e.event.data;
  if (d.oemName !== undefined) {
    m.oemName = d.oemName;
    m.oemNameAt = e.occurredAtMs;
    m.oemNameEventId = e.event.eventId;
  }
  if (d.model !== undefined) {
    m.model = d.model;
    m.modelAt = e.occurredAtMs;
    m.modelEventId = e.event.eventId;
  }
  const hours = d.cumulativeOperatingHours;
  if (hours !== undefined) {
    if (hours >= (m.hours ?? -1)) m.hoursAt = e.occurredAtMs;
    m.hours = higher(m.hours, hours);
    m.withHours.push(e);
  }
  m.idle = higher(m.idle, d.cumulativeIdleHours);
  m.fuel = higher(m.fuel, d.fuelUsedLitres);
  if (d.location) {
    const { latitude, longitude } = d.location;
    m.location = { latitude, longitude, at: e.occurredAtMs, eventId: e.event.eventId };
  }
  if (d.engineRunning !== undefined) {
    m.engineRunning = d.engineRunning;
    m.engineRunningAt = e.occurredAtMs;
    m.engineRunningEventId = e.event.eventId;
  }
  const faults = activeFaults(d.faultCodes);
  if (faults !== undefined) {
    m.faults = faults;
    m.faultsAt = e.occurredAtMs;
    m.faultsEventId = e.event.eventId;
  }
  m.lastAt = e.occurredAtMs;
  m.lastEventId = e.event.eventId;
}

/** The batch's machines (keyed by dealer and serial), each folded over its snapshots in event-time order. */
export function foldMachines(sorted: IngestEvent<TelematicsSnapshotEvent>[]): Map<string, MachineFold> {
  const machines = new Map<string, MachineFold>();
  for (const e of sorted) {
    const { dealerId } = e.event;
    const serial = e.event.data.serialNumber;
    const k = machineKey(dealerId, serial);
    let m = machines.get(k);
    if (m === undefined) {
      m = { dealerId, serial, lastAt: e.occurredAtMs, lastEventId: e.event.eventId, withHours: [] };
      machines.set(k, m);
    }
    foldInto(m, e);
  }
  return machines;
}
