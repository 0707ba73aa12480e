import type { RawScalar } from './types';

/** Thrown inside the mapper for one bad entry and turned into a rejection; never escapes mapEquipment. */
export class EntryRejected extends Error {}

// Values feeds send when they have nothing (the Takeuchi fixture says `missing` for Model and SerialNumber).
const PLACEHOLDERS = new Set(['', 'missing', 'unknown', 'n/a', 'na', 'null', 'none', 'undefined', '-']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/** Trimmed text, or undefined for blanks and placeholders. */
export function textOf(raw: RawScalar | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const s = String(raw).trim();
  return PLACEHOLDERS.has(s.toLowerCase()) ? undefined : s;
}

export function numberOf(raw: RawScalar | undefined, field: string): number | undefined {
  const s = textOf(raw);
  if (s === undefined) return undefined;
  const n = typeof raw === 'number' ? raw : NUMBER.test(s) ? Number(s) : NaN;
  if (!Number.isFinite(n)) throw new EntryRejected(`${field} is not a number (${show(raw)})`);
  return n;
}

export function nonNegativeOf(raw: RawScalar | undefined, field: string): number | undefined {
  const n = numberOf(raw, field);
  if (n !== undefined && n < 0) throw new EntryRejected(`${field} is negative (${n})`);
  return n;
}

export function booleanOf(raw: RawScalar | undefined, field: string): boolean | undefined {
  const s = textOf(raw)?.toLowerCase();
  if (s === undefined) return undefined;
  if (['true', '1', 'yes', 'on'].includes(s)) return true;
  if (['false', '0', 'no', 'off'].includes(s)) return false;
  throw new EntryRejected(`${field} is not a boolean (${show(raw)})`);
}

/**
 * Epoch milliseconds of an ISO 8601 / RFC 3339 date-time. No offset means UTC, which is what ISO 15143-3
 * prescribes. Dates at or before 1970-01-01T00:00:00Z are placeholders (`0001-01-01T00:00:00Z` is common)
 * and read as "no time", not as an error.
 */
export function dateTimeOf(raw: RawScalar | undefined, field: string): number | undefined {
  const s = textOf(raw);
  if (s === undefined) return undefined;
  const m = DATETIME.exec(s);
  const ms = m ? toEpochMs(m) : undefined;
  if (ms === undefined) throw new EntryRejected(`${field} is not a valid date-time (${show(raw)})`);
  return ms > 0 ? ms : undefined;
}

function toEpochMs(m: RegExpExecArray): number | undefined {
  const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(m[i]));
  const sec = Number(m[6] ?? 0);
  const frac = m[7] ? Math.round(Number(`0${m[7]}`) * 1000) : 0;
  const offsetMin = m[9] ? (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) : 0;
  if (y < 1970) return 0; // placeholder; Date.UTC would also misread years 0–99 as 1900–1999
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59 || (m[11] && Number(m[11]) > 59)) return undefined;
  const base = Date.UTC(y, mo - 1, d);
  if (d < 1 || new Date(base).getUTCDate() !== d) return undefined; // e.g. 2021-02-30
  return base + ((h * 60 + mi - offsetMin) * 60 + sec) * 1000 + frac;
}

/** RFC 3339 in UTC (`Z`), without a fractional part when it is zero. */
export function toRfc3339(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

const US_GALLON = 3.785411784;
const IMPERIAL_GALLON = 4.54609;
const UNIT_NAMES: [number, string[]][] = [
  [1, ['l', 'lt', 'ltr', 'litre', 'litres', 'liter', 'liters']],
  [US_GALLON, ['gal', 'gallon', 'gallons', 'usgal', 'usgallon', 'usgallons', 'gallonus']],
  [
    IMPERIAL_GALLON,
    ['impgal', 'ukgal', 'imperialgallon', 'imperialgallons', 'ukgallon', 'gallonuk', 'gallonimp'],
  ],
  [1000, ['m3', 'cubicmetre', 'cubicmeter', 'cubicmetres', 'cubicmeters']],
];
const LITRES_PER_UNIT = new Map(
  UNIT_NAMES.flatMap(([factor, names]) => names.map((n) => [n, factor] as const)),
);

/** Litres per unit of `FuelUnits`. An absent unit is taken as litres (the ISO default in every feed we know). */
export function litresPerUnit(raw: RawScalar | undefined, field: string): number {
  const s = textOf(raw);
  if (s === undefined) return 1;
  const factor = LITRES_PER_UNIT.get(s.toLowerCase().replace(/[\s._()-]/g, ''));
  if (factor === undefined) throw new EntryRejected(`${field} '${s}' is not a known volume unit`);
  return factor;
}

const HOUR_UNITS: [number, string[]][] = [
  [1, ['h', 'hr', 'hrs', 'hour', 'hours']],
  [1 / 60, ['min', 'mins', 'minute', 'minutes']],
  [1 / 3600, ['s', 'sec', 'secs', 'second', 'seconds']],
];
const HOURS_PER_UNIT = new Map(
  HOUR_UNITS.flatMap(([factor, names]) => names.map((n) => [n, factor] as const)),
);

/** Hours per unit of an hour meter's `uom`; an absent unit is hours (ISO 15143-3's unit for `Hour`). */
export function hoursPerUnit(raw: RawScalar | undefined, field: string): number {
  const s = textOf(raw);
  if (s === undefined) return 1;
  const factor = HOURS_PER_UNIT.get(s.toLowerCase().replace(/[\s.]/g, ''));
  if (factor === undefined) {
    throw new EntryRejected(`${field} uom '${s}' is not a known time unit (h, min or s)`);
  }
  return factor;
}

/** A converted amount, rounded to 3 decimals so that e.g. 90030 min reads 1500.5 h exactly. */
export function converted(value: number, factor: number): number {
  return factor === 1 ? value : Math.round(value * factor * 1000) / 1000;
}

/** A duration for messages: `24 h` when whole hours, else milliseconds. */
export function showDuration(ms: number): string {
  return ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${ms} ms`;
}

function show(raw: RawScalar | undefined): string {
  return typeof raw === 'string' ? `'${raw.length > 40 ? `${raw.slice(0, 40)}…` : raw}'` : String(raw);
}
