// Threshold comparisons tolerate float noise: 1.1 * 500 is 550.0000000000001 in IEEE 754.
const EPSILON = 1e-9;

export const gte = (a: number, b: number): boolean => a >= b - EPSILON;
export const lte = (a: number, b: number): boolean => a <= b + EPSILON;
export const gt = (a: number, b: number): boolean => a > b + EPSILON;
export const lt = (a: number, b: number): boolean => a < b - EPSILON;

/** Engine hours with one decimal. */
export const fmtHours = (hours: number): string => hours.toFixed(1);

/**
 * A 0..1 ratio as whole percent rounded down (float noise aside: 0.29 is 29), so a value below a threshold never
 * reads as the threshold (0.496 is 49 %, not 50 %).
 */
export const percentDown = (ratio: number): number => Math.floor(ratio * 100 + EPSILON);

/** A 0..1 ratio as whole percent. */
export const percent = (ratio: number): number => Math.round(ratio * 100);

/** A relative change as a signed whole percent with a true minus sign: "−62%", "+5%". */
export function signedPercent(change: number): string {
  const p = percent(change);
  return p < 0 ? `\u2212${-p}%` : `+${p}%`;
}

/** Nearest-rank quantile of a non-empty list. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}
