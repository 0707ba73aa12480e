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

/** Epoch ms of an RFC 3339 timestamp that carries an offset (`Z` or `±hh:mm`); undefined if malformed. */
export function parseRfc3339(value: string): number | undefined {
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

/** Epoch ms of a calendar date `YYYY-MM-DD` (00:00Z) or of an RFC 3339 timestamp with offset. */
export function parseDateOrRfc3339(value: string): number | undefined {
  const m = DATE_ONLY.exec(value);
  if (!m) return parseRfc3339(value);
  return utcMs(+m[1], +m[2], +m[3], 0, 0, 0, 0);
}
