import { z } from 'zod';
import { ApiError } from '../http/api-error';

const DAY_MS = 86_400_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date YYYY-MM-DD that exists (2026-02-30 is refused). */
const isoDate = z
  .string()
  .regex(DATE_RE, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const ms = Date.parse(`${s}T00:00:00Z`);
    return !DATE_RE.test(s) || (!Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === s);
  }, 'is not a calendar date');

// A branch id as the event contract has it: any 1-128 characters but control characters.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const branch = z
  .string()
  .min(1, 'must be 1-128 characters')
  .max(128, 'must be 1-128 characters')
  .refine((s) => !CONTROL.test(s), 'must not contain control characters');

/** Query of GET /api/v1/metrics/retention; the OpenAPI document is generated from it. */
export const RetentionMetricsQuery = z.strictObject({
  from: isoDate.optional().describe('first day of the period (UTC), default: 12 months before `to`'),
  to: isoDate.optional().describe('last day of the period (UTC, included), default: today'),
  branch: branch.optional().describe('one branch only (admin); a manager may name only their own branch'),
});
export type RetentionMetricsQuery = z.infer<typeof RetentionMetricsQuery>;

/** A period of whole UTC days: [fromMs, toMs), `to` being the instant after the last day. */
export interface Period {
  from: string;
  to: string;
  fromMs: number;
  toMs: number;
}

const MAX_DAYS = 3_660; // ten years: a longer period is a typo, and its prior period doubles the scan

const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The same calendar day `months` months earlier (clamped to the month's last day), as YYYY-MM-DD. */
export function monthsBefore(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() - months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return dayOf(Date.UTC(y, m, Math.min(d.getUTCDate(), last)));
}

/**
 * The period asked for: `to` defaults to `today`, `from` to the day after the same date 12 months earlier
 * (so the default covers exactly the last 12 months, today included). Pure: `today` is an argument.
 */
export function resolvePeriod(q: Pick<RetentionMetricsQuery, 'from' | 'to'>, today: string): Period {
  const to = q.to ?? today;
  const from = q.from ?? dayOf(dayMs(monthsBefore(to, 12)) + DAY_MS);
  const fromMs = dayMs(from);
  const toMs = dayMs(to) + DAY_MS;
  if (fromMs >= toMs) {
    throw new ApiError('VALIDATION_FAILED', `query.from: ${from} is after query.to ${to}`);
  }
  if ((toMs - fromMs) / DAY_MS > MAX_DAYS) {
    throw new ApiError('VALIDATION_FAILED', `query.from: the period may span at most ${MAX_DAYS} days`);
  }
  return { from, to, fromMs, toMs };
}
