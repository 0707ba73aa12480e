/** Segments in precedence order: when several apply, the first one listed wins (see segmentsOf). */
export const SEGMENTS = Object.freeze(['frozen', 'migrating', 'high-value', 'potential'] as const);
export type Segment = (typeof SEGMENTS)[number];

/**
 * What a segment is decided on. A figure may be unknown (null): a segment that needs an unknown figure does
 * not apply, so an unknown never puts a customer in a segment.
 */
export interface SegmentFacts {
  /** Percentile of the customer's CLV among the dealer's customers, in [0, 1] (0.9 = top decile boundary). */
  clvPercentile: number | null;
  pAlive: number | null;
  /** Share of the fleet's parts + service spend the dealer captures, in [0, 1]. */
  captureRate: number | null;
  /** Engine hours across the customer's fleet in the last 30 days. */
  fleetHoursLast30d: number | null;
  hasSpendErosion: boolean;
  hasAliveDrop: boolean;
  /** Days since the last purchase; Infinity if the customer never bought. */
  daysSinceLastPurchase: number | null;
}

export interface SegmentThresholds {
  /** CLV percentile at or above which a customer is top decile (default 0.9). */
  topClvPercentile: number;
  /** Minimum P(alive) for high-value (default 0.7). */
  minAliveForHighValue: number;
  /** Capture rate below which capture is low (default 0.5). */
  lowCaptureBelow: number;
  /** Fleet hours in 30 days at or above which the fleet is busy (default 150, ~5 h a day). */
  busyFleetHours: number;
  /** Days without a purchase at or after which a customer is frozen (default 365). */
  frozenAfterDays: number;
}

export const DEFAULT_SEGMENT_THRESHOLDS: Readonly<SegmentThresholds> = Object.freeze({
  topClvPercentile: 0.9,
  minAliveForHighValue: 0.7,
  lowCaptureBelow: 0.5,
  busyFleetHours: 150,
  frozenAfterDays: 365,
});

/**
 * Every segment that applies, in precedence order:
 * frozen (no purchase for a year: the other signals describe a relationship that has stopped) before
 * migrating (value is leaving now, so it must not hide under high-value) before high-value before potential.
 */
export function segmentsOf(facts: SegmentFacts, thresholds: Partial<SegmentThresholds> = {}): Segment[] {
  const t = { ...DEFAULT_SEGMENT_THRESHOLDS, ...thresholds };
  const f = facts;
  const applies: Record<Segment, boolean> = {
    frozen: f.daysSinceLastPurchase !== null && f.daysSinceLastPurchase >= t.frozenAfterDays,
    migrating: f.hasSpendErosion || f.hasAliveDrop,
    'high-value':
      f.clvPercentile !== null &&
      f.pAlive !== null &&
      f.clvPercentile >= t.topClvPercentile &&
      f.pAlive >= t.minAliveForHighValue,
    potential:
      f.captureRate !== null &&
      f.fleetHoursLast30d !== null &&
      f.captureRate < t.lowCaptureBelow &&
      f.fleetHoursLast30d >= t.busyFleetHours,
  };
  return SEGMENTS.filter((s) => applies[s]);
}

/** The single segment a customer belongs to (highest precedence), or null when none applies. */
export function segment(facts: SegmentFacts, thresholds: Partial<SegmentThresholds> = {}): Segment | null {
  return segmentsOf(facts, thresholds)[0] ?? null;
}
