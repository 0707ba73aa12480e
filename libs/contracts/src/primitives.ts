import { z } from 'zod';
import { isOutOfRange, parseDateOrRfc3339, parseRfc3339 } from './timestamp';

/** Marks a zod issue so the rejection is `INVALID_TIMESTAMP` rather than `SCHEMA_INVALID`. */
export const TIMESTAMP_ISSUE = 'INVALID_TIMESTAMP';

export const RFC3339_MESSAGE = 'must be an RFC 3339 timestamp with offset (Z or ±hh:mm)';
const DATE_OR_RFC3339_MESSAGE = 'must be a date (YYYY-MM-DD) or an RFC 3339 timestamp with offset';
export const RANGE_MESSAGE = 'must lie between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z';

/** The INVALID_TIMESTAMP text for a value the parser refused: out of range, or else malformed. */
export const timestampProblem = (value: string, malformed: string): string =>
  isOutOfRange(value) ? RANGE_MESSAGE : malformed;

/** Identifiers are opaque strings: non-empty, at most 128 characters. */
export const identifier = z.string().min(1).max(128);

/** Meter readings and amounts the contract states are never negative. */
export const nonNegative = z.number().min(0);

/**
 * Largest money amount (major units) an event may carry, either sign. Far above any dealer's invoice, and
 * small enough that the sums the value model forms (a year's gross margin) stay finite.
 */
export const MAX_MONEY = 1e12;
const MONEY_MESSAGE = `must lie between -${MAX_MONEY} and ${MAX_MONEY}`;

/** A money amount that may be negative (gross profit), bounded by MAX_MONEY. */
export const money = z
  .number()
  .min(-MAX_MONEY, { error: MONEY_MESSAGE })
  .max(MAX_MONEY, { error: MONEY_MESSAGE });

/** A money amount the contract states is never negative, bounded by MAX_MONEY. */
export const nonNegativeMoney = nonNegative.max(MAX_MONEY, { error: `must lie between 0 and ${MAX_MONEY}` });

export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, { error: 'must be a 3-letter upper-case ISO 4217 code' });

function normalisedInstant(parse: (v: string) => number | undefined, message: string) {
  return z.string().transform((value, ctx) => {
    const ms = parse(value);
    if (ms === undefined) {
      ctx.issues.push({
        code: 'custom',
        message: timestampProblem(value, message),
        input: value,
        params: { rejection: TIMESTAMP_ISSUE },
      });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  });
}

/** RFC 3339 with offset, normalised to an ISO instant (`2026-03-04T01:12:00.000Z`). */
export const instant = normalisedInstant(parseRfc3339, RFC3339_MESSAGE);

/** `YYYY-MM-DD` (taken as 00:00Z) or RFC 3339 with offset, normalised to an ISO instant. */
export const dateOrInstant = normalisedInstant(parseDateOrRfc3339, DATE_OR_RFC3339_MESSAGE);

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Producers (Jackson, System.Text.Json…) often serialise absent optional fields as `null`; treat those
 * as absent rather than dead-letter the event. A required field sent as null still fails as missing.
 * Depth-bounded: the contract nests at most four levels, and input nesting is producer-controlled.
 */
export function withoutNulls(value: unknown, depth = 4): unknown {
  // Most producers send no nulls: a read-only check spares the copy (a fifth of parsing's time, and garbage).
  return hasNull(value, depth) ? copyWithoutNulls(value, depth) : value;
}

function hasNull(value: unknown, depth: number): boolean {
  if (depth <= 0 || typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some((item) => hasNull(item, depth - 1));
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (v === null || hasNull(v, depth - 1)) return true;
  }
  return false;
}

function copyWithoutNulls(value: unknown, depth: number): unknown {
  if (depth <= 0 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => copyWithoutNulls(item, depth - 1));
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, copyWithoutNulls(v, depth - 1)]),
  );
}
