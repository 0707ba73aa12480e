/** Severity scale of the `telematics.snapshot` contract (EVENTS.md). */
export const FAULT_SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type FaultSeverity = (typeof FAULT_SEVERITIES)[number];

export interface FaultCode {
  code: string;
  severity: FaultSeverity;
  firstSeenAt?: string;
}

export interface TelematicsSnapshotData {
  serialNumber: string;
  oemName?: string;
  model?: string;
  cumulativeOperatingHours?: number;
  cumulativeIdleHours?: number;
  fuelUsedLitres?: number;
  location?: { latitude: number; longitude: number };
  engineRunning?: boolean;
  faultCodes?: FaultCode[];
}

/** The v1 envelope of a `telematics.snapshot` event, as the mapper produces it. */
export interface TelematicsSnapshotEvent {
  eventId: string;
  type: 'telematics.snapshot';
  occurredAt: string;
  dealerId: string;
  source: string;
  schemaVersion: 1;
  data: TelematicsSnapshotData;
}

/** A leaf value as it appeared in the document: XML text is always a string, JSON may carry numbers/booleans. */
export type RawScalar = string | number | boolean;

/** One reading as found in the document; `datetime` is the reading's own time (attribute or child). */
export interface RawReading {
  datetime?: RawScalar;
}

export interface RawFault extends RawReading {
  code?: RawScalar;
  severity?: RawScalar;
}

/** One `Equipment` entry, located but not validated: every value is still the document's raw text. */
export interface RawEquipment {
  header: {
    serialNumber?: RawScalar;
    pin?: RawScalar;
    equipmentId?: RawScalar;
    oemName?: RawScalar;
    make?: RawScalar;
    model?: RawScalar;
  };
  location?: RawReading & { latitude?: RawScalar; longitude?: RawScalar };
  /** `hourUnit`: the `uom` (or `unit`) attribute of `Hour`, when the feed states one. */
  operatingHours?: RawReading & { hour?: RawScalar; hourUnit?: RawScalar };
  idleHours?: RawReading & { hour?: RawScalar; hourUnit?: RawScalar };
  /** `consumedUnit`: the `uom` (or `unit`) attribute of `FuelConsumed`; `fuelUnits`: the `FuelUnits` element. */
  fuelUsed?: RawReading & { fuelConsumed?: RawScalar; consumedUnit?: RawScalar; fuelUnits?: RawScalar };
  engineStatus: (RawReading & { running?: RawScalar })[];
  faultCodes: RawFault[];
}

export interface FleetDocument {
  version?: string;
  snapshotTime?: string;
  equipment: RawEquipment[];
  /** href of the `Links` entry whose `rel` is `next`: the following page of the fleet. */
  nextLink?: string;
}

export interface RejectedEquipment {
  /** Position of the entry in `FleetDocument.equipment`. */
  index: number;
  serialNumber?: string;
  equipmentId?: string;
  reason: string;
}

export interface MapOptions {
  dealerId: string;
  /** Envelope `source`; defaults to `iso15143-3`. */
  source?: string;
  /**
   * Reference time of the import (epoch ms), given by the caller: a datetime later than
   * `now + maxFutureSkewMs` is implausible (a gateway with a wrong clock) and never becomes the event time.
   */
  now: number;
  /** Defaults to the contract's DEFAULT_MAX_FUTURE_SKEW_MS (24 h); pass the ingest's INGEST_MAX_FUTURE_SKEW_MS. */
  maxFutureSkewMs?: number;
}

export interface MapResult {
  events: TelematicsSnapshotEvent[];
  /** Position in `FleetDocument.equipment` of the entry each event came from (parallel to `events`). */
  indexes: number[];
  rejected: RejectedEquipment[];
  /** Readings (or fault first-seen times) left out of a published event, with the reason. */
  dropped: RejectedEquipment[];
}
