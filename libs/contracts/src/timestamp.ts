// Hand-rolled instead of Date.parse: Date.parse accepts offset-less and non-RFC forms (treating them as
// local time) and rejects leap seconds, so it cannot enforce the contract.
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function utcMs(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms: number,
): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  if (h > 23 || mi > 59 || s > 60) return undefined; // 60 = leap second, rolls over to the next minute
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d); // not Date.UTC: it maps years 0–99 to 1900–1999
  date.setUTCHours(h, mi, s, ms);
  return date.getTime();
}

/** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z: what Postgres and a 4-digit ISO year can both hold. */
const MIN_MS = -62_135_596_800_000;
const MAX_MS = 253_402_300_799_999;

const inRange = (ms: number | undefined): number | undefined =>
  ms === undefined || ms < MIN_MS || ms > MAX_MS ? undefined : ms;

/**
 * Epoch ms of an RFC 3339 timestamp that carries an offset (`Z` or `±hh:mm`); undefined if malformed or if
 * the instant (offset applied) lies outside 0001-01-01T00:00:00Z … 9999-12-31T23:59:59.999Z.
 */
export function parseRfc3339(value: string): number | undefined {
  return inRange(parseOffsetTimestamp(value));
}

/** Whether `value` is a well-formed date or RFC 3339 timestamp whose instant lies outside that range. */
export function isOutOfRange(value: string): boolean {
  const m = DATE_ONLY.exec(value);
  const ms = m ? utcMs(+m[1], +m[2], +m[3], 0, 0, 0, 0) : parseOffsetTimestamp(value);
  return ms !== undefined && inRange(ms) === undefined;
}

function parseOffsetTimestamp(value: string): number | undefined {
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zulu, sign, oh, om] = m;
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  const local = utcMs(+y, +mo, +d, +h, +mi, +s, ms);
  if (local === undefined) return undefined;
  if (zulu !== undefined) return local;
  if (+oh > 23 || +om > 59) return undefined;
  const offsetMs = (+oh * 60 + +om) * 60_000;
  return sign === '+' ? local - offsetMs : local + offsetMs;
}

/** Epoch ms of a calendar date `YYYY-MM-DD` (00:00Z) or of an RFC 3339 timestamp with offset (same range). */
export function parseDateOrRfc3339(value: string): number | undefined {
  const m = DATE_ONLY.exec(value);
  if (!m) return parseRfc3339(value);
  return inRange(utcMs(+m[1], +m[2], +m[3], 0, 0, 0, 0));
}

const DAY_MS = 86_400_000;
/** The last day formatted (a batch's instants mostly fall on a few days): its index and `YYYY-MM-DD`. */
let lastDay = NaN;
let lastDate = '';

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** Date's time value of `ms` (TimeClip: truncated; RangeError when not finite or beyond ±8.64e15). */
function timeValue(ms: number): number {
  const t = Math.trunc(ms);
  if (!(Math.abs(t) <= 8.64e15)) new Date(NaN).toISOString(); // throws the RangeError Date would
  return t;
}

function dateOf(t: number, day: number): string {
  if (day !== lastDay) {
    const text = new Date(t).toISOString();
    lastDate = text.slice(0, text.indexOf('T'));
    lastDay = day;
  }
  return lastDate;
}

/** `YYYY-MM-DD` of the UTC day holding `ms`, as `toISOString` writes it (years beyond 9999 included). */
export function isoDateOf(ms: number): string {
  const t = timeValue(ms);
  return dateOf(t, Math.floor(t / DAY_MS));
}

/**
 * `new Date(ms).toISOString()`, the same string (and the same RangeError), about 7× faster: the date part is
 * formatted once per day, the time of day by arithmetic. For the ingest path, which formats several instants
 * per event (toISOString was 2–4 % of the ingest worker's CPU).
 */
export function isoInstantOf(ms: number): string {
  const t = timeValue(ms);
  const day = Math.floor(t / DAY_MS);
  const date = dateOf(t, day);
  let rest = t - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  return `${date}T${pad2(h)}:${pad2(m)}:${pad2(s)}.${pad3(rest - s * 1000)}Z`;
}
