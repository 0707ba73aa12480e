/** Where a replay starts or stops on each partition, as the user wrote it. */
export type Position =
  | { kind: 'beginning' }
  | { kind: 'end' }
  | { kind: 'timestamp'; ms: number }
  /** Explicit offsets, `topic:partition=offset`; partitions not named use the default (beginning / end). */
  | { kind: 'offsets'; offsets: Record<string, string> };

export class ReplayOptionError extends Error {
  readonly code = 'REPLAY_OPTION_INVALID';
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})(T(\d{2}):(\d{2})(:(\d{2})(\.\d+)?)?(Z|[+-](\d{2}):(\d{2})))?$/;

/** Date.parse rolls impossible dates over (2025-02-30 → 03-02): each field must be in its calendar range. */
function validFields(m: RegExpExecArray): boolean {
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d) return false;
  if (m[4] === undefined) return true;
  const within = (v: string | undefined, max: number) => v === undefined || Number(v) <= max;
  return within(m[5], 23) && within(m[6], 59) && within(m[8], 59) && within(m[11], 23) && within(m[12], 59);
}

/**
 * Parses `--from` / `--to`: `beginning`, `end`, an RFC 3339 timestamp (or a date, UTC midnight) resolved
 * against Kafka record timestamps, or `topic:partition=offset[,topic:partition=offset…]`.
 */
export function parsePosition(flag: string, value: string): Position {
  const v = value.trim();
  if (v === 'beginning') return { kind: 'beginning' };
  if (v === 'end') return { kind: 'end' };
  const date = RFC3339.exec(v);
  if (date) {
    const ms = validFields(date) ? Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v) : NaN;
    if (!Number.isFinite(ms)) throw new ReplayOptionError(`${flag}: "${value}" is not a valid date-time`);
    return { kind: 'timestamp', ms };
  }
  const offsets: Record<string, string> = {};
  for (const part of v.split(',')) {
    const m = /^(.+):(\d+)=(\d+)$/.exec(part.trim());
    if (!m) {
      throw new ReplayOptionError(
        `${flag}: "${part}" is neither beginning, end, an RFC 3339 timestamp nor topic:partition=offset`,
      );
    }
    offsets[`${m[1]}:${Number(m[2])}`] = BigInt(m[3]).toString();
  }
  return { kind: 'offsets', offsets };
}

export const describePosition = (p: Position): string => {
  switch (p.kind) {
    case 'beginning':
    case 'end':
      return p.kind;
    case 'timestamp':
      return new Date(p.ms).toISOString();
    case 'offsets':
      return Object.entries(p.offsets)
        .map(([k, o]) => `${k}=${o}`)
        .join(',');
  }
};
