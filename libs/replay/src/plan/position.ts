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

const RFC3339 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * Parses `--from` / `--to`: `beginning`, `end`, an RFC 3339 timestamp (or a date, UTC midnight) resolved
 * against Kafka record timestamps, or `topic:partition=offset[,topic:partition=offset…]`.
 */
export function parsePosition(flag: string, value: string): Position {
  const v = value.trim();
  if (v === 'beginning') return { kind: 'beginning' };
  if (v === 'end') return { kind: 'end' };
  if (RFC3339.test(v)) {
    const ms = Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v);
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
