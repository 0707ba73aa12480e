import { isoDateOf, isoInstantOf } from '@rp/contracts';

// Calendar arithmetic on epoch ms, UTC. Never reads the clock: every Date is built from an argument.
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
/** The latest instant a Date (and so a persisted timer) can hold: +275760-09-13. */
export const MAX_INSTANT_MS = 8.64e15;
/** 1970-01-05T00:00Z, a Monday: weeks start on Monday 00:00 UTC. */
const FIRST_MONDAY_MS = 4 * DAY_MS;

/** Whole days elapsed from `fromMs` to `toMs` (floor); all day thresholds compare these. */
export const wholeDays = (fromMs: number, toMs: number): number => Math.floor((toMs - fromMs) / DAY_MS);

/** Index of the UTC calendar day. */
export const dayIndex = (ms: number): number => Math.floor(ms / DAY_MS);

/**
 * Start of the week (Monday 00:00 UTC) holding `ms`: a fixed event-time grid, so what is computed on it does
 * not depend on the instants at which a customer happens to be evaluated.
 */
export const weekStart = (ms: number): number =>
  ms - ((((ms - FIRST_MONDAY_MS) % WEEK_MS) + WEEK_MS) % WEEK_MS);

/** YYYY-MM-DD (UTC). */
export const isoDate = (ms: number): string => isoDateOf(ms);

/** Full RFC 3339 instant (UTC), for episode identifiers. */
export const isoInstant = (ms: number): string => isoInstantOf(ms);

/** Index of the UTC calendar month: year * 12 + month(0..11). */
export const monthIndex = (ms: number): number => {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

/** First instant of a month index. */
export const monthStart = (index: number): number => Date.UTC(Math.floor(index / 12), index % 12, 1);

/** YYYY-MM of a month index. */
export const monthLabel = (index: number): string =>
  `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/**
 * The earlier of `best` (null, or an instant after `asOfMs`) and `t`, which counts only when finite and
 * strictly after `asOfMs`: one step of nextAfter, for folding many rules' checks without an array.
 */
export const earlierAfter = (
  asOfMs: number,
  best: number | null,
  t: number | null | undefined,
): number | null =>
  t !== null && t !== undefined && Number.isFinite(t) && t > asOfMs && (best === null || t < best) ? t : best;

/** The earliest of the instants strictly after `asOfMs`, or null: the next timer of a rule. */
export function nextAfter(asOfMs: number, ...instants: (number | null | undefined)[]): number | null {
  let best: number | null = null;
  for (const t of instants) best = earlierAfter(asOfMs, best, t);
  return best;
}
