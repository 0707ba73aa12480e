import { z } from 'zod';
import { identifier, instant, nonNegative } from './primitives';

// Field names follow ISO 15143-3 / AEMP 2.0.
export const FAULT_SEVERITIES = Object.freeze(['info', 'low', 'medium', 'high', 'critical'] as const);
export type FaultSeverity = (typeof FAULT_SEVERITIES)[number];

const faultCode = z.object({
  code: identifier,
  severity: z.enum(FAULT_SEVERITIES),
  firstSeenAt: instant.optional(),
  clearedAt: instant.optional(),
});

const location = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});

export const telematicsSnapshotData = z.object({
  serialNumber: identifier,
  oemName: z.string().optional(),
  model: z.string().optional(),
  // A lower reading than one already seen is a meter glitch, handled downstream, not rejected here.
  cumulativeOperatingHours: nonNegative.optional(),
  cumulativeIdleHours: nonNegative.optional(),
  fuelUsedLitres: nonNegative.optional(),
  location: location.optional(),
  engineRunning: z.boolean().optional(),
  faultCodes: z.array(faultCode).optional(),
});

export type FaultCode = z.output<typeof faultCode>;
export type GeoLocation = z.output<typeof location>;
export type TelematicsSnapshotData = z.output<typeof telematicsSnapshotData>;
