import type { Admin } from 'kafkajs';
import { ReplayOptionError, type Position } from './position';

/** One partition's bounded read: [start, end) offsets. */
export interface PartitionRange {
  topic: string;
  partition: number;
  start: string;
  end: string;
}

export interface PartitionOffsets {
  topic: string;
  partition: number;
  /** Earliest offset still in the log. */
  low: string;
  /** The next offset to be written (the end of the log now). */
  high: string;
  /** First offset whose record timestamp is ≥ the position's timestamp (high when none). */
  atTimestamp?: string;
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

function resolve(p: Position, o: PartitionOffsets, fallback: 'beginning' | 'end'): bigint {
  const low = BigInt(o.low);
  const high = BigInt(o.high);
  const clamp = (x: bigint) => min(max(x, low), high);
  switch (p.kind) {
    case 'beginning':
      return low;
    case 'end':
      return high;
    case 'timestamp':
      return clamp(BigInt(o.atTimestamp ?? o.high));
    case 'offsets': {
      const given = p.offsets[`${o.topic}:${o.partition}`];
      if (given === undefined) return fallback === 'beginning' ? low : high;
      return clamp(BigInt(given));
    }
  }
}

/**
 * The ranges to read (pure): `from` and `to` resolved per partition and clamped to the log. Named
 * offsets must belong to the replayed topics; a start after the end is an error naming the partition.
 */
export function planRanges(
  partitions: PartitionOffsets[],
  from: Position,
  to: Position,
  toOffsets: PartitionOffsets[] = partitions,
): PartitionRange[] {
  const known = new Set(partitions.map((p) => `${p.topic}:${p.partition}`));
  for (const pos of [from, to]) {
    if (pos.kind !== 'offsets') continue;
    for (const k of Object.keys(pos.offsets)) {
      if (!known.has(k))
        throw new ReplayOptionError(`offset given for ${k}, which is not a replayed partition`);
    }
  }
  if (from.kind === 'timestamp' && to.kind === 'timestamp' && to.ms < from.ms) {
    throw new ReplayOptionError('--to is before --from');
  }
  return partitions.map((p, i) => {
    const start = resolve(from, p, 'beginning');
    const end = resolve(to, toOffsets[i] ?? p, 'end');
    if (end < start) {
      throw new ReplayOptionError(
        `${p.topic}:${p.partition}: --to (offset ${end}) is before --from (offset ${start})`,
      );
    }
    return { topic: p.topic, partition: p.partition, start: start.toString(), end: end.toString() };
  });
}

/** Reads the log's bounds (and the offsets at the positions' timestamps) from Kafka. */
export async function readOffsets(admin: Admin, topics: string[], at?: number): Promise<PartitionOffsets[]> {
  const out: PartitionOffsets[] = [];
  for (const topic of topics) {
    const bounds = await admin.fetchTopicOffsets(topic);
    const stamped = at === undefined ? [] : await admin.fetchTopicOffsetsByTimestamp(topic, at);
    for (const b of bounds.sort((x, y) => x.partition - y.partition)) {
      const t = stamped.find((s) => s.partition === b.partition);
      out.push({
        topic,
        partition: b.partition,
        low: b.low,
        high: b.high,
        // kafkajs answers -1 when no record is at or after the timestamp: that is the end of the log.
        atTimestamp: t ? (BigInt(t.offset) < 0n ? b.high : t.offset) : undefined,
      });
    }
  }
  return out;
}

/** Resolves `from`/`to` against the live log into per-partition ranges. */
export async function resolvePlan(
  admin: Admin,
  topics: string[],
  from: Position,
  to: Position,
): Promise<PartitionRange[]> {
  const fromOffsets = await readOffsets(admin, topics, from.kind === 'timestamp' ? from.ms : undefined);
  const toOffsets = to.kind === 'timestamp' ? await readOffsets(admin, topics, to.ms) : fromOffsets;
  return planRanges(fromOffsets, from, to, toOffsets);
}
