import { isoInstantOf } from '@rp/contracts';
import type { EventStamp } from '@rp/risk';

/** SQL expression: a timestamptz as epoch ms (float8, which node-pg returns as a JS number). */
export const ms = (col: string): string => `(extract(epoch FROM ${col}) * 1000)::float8`;

/** node-pg returns `numeric` as a string: to a number; SQL NULL to undefined. */
export const num = (v: string | number | null | undefined): number | undefined =>
  v === null || v === undefined ? undefined : Number(v);

/** SQL NULL to undefined (optional fields of the risk types are absent, never null). */
export const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

/** Drops properties whose value is undefined, so optional fields are absent rather than present-but-undefined. */
export function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Event-time order with the event id as tie-breaker (code-point order, independent of the DB collation). */
export const byStamp = (a: EventStamp, b: EventStamp): number =>
  a.at - b.at || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0);

export const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** ISO instant for timestamptz parameters. */
export const isoMs = (v: number): string => isoInstantOf(v);
