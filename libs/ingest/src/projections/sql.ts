import { isoInstantOf } from '@rp/contracts';

/** A row of a multi-row write: one value per column, positionally. */
export type Row = unknown[];

export interface Column {
  name: string;
  /** Postgres element type of the unnest array, e.g. text, timestamptz, numeric, jsonb, boolean. */
  type: string;
}

export interface Executor {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
}

/**
 * One `INSERT … SELECT FROM unnest($1::t1[], $2::t2[], …) ON CONFLICT …` for many rows: a single
 * statement and a fixed number of parameters whatever the batch size.
 */
export async function unnestInsert<T = unknown>(
  db: Executor,
  table: string,
  columns: Column[],
  rows: Row[],
  tail: string,
): Promise<T[]> {
  if (rows.length === 0) return [];
  const names = columns.map((c) => c.name).join(', ');
  const arrays = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  const params = columns.map((c, i) => columnLiteral(rows, i, c.type === 'jsonb'));
  return db.query<T[]>(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays}) ${tail}`, params);
}

const NEEDS_ESCAPE = /["\\]/;

/** One element of an array literal: strings always quoted (so "NULL" stays a string), null and undefined NULL. */
function element(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? 't' : 'f';
  const text = v instanceof Date ? v.toISOString() : typeof v === 'string' ? v : JSON.stringify(v);
  return NEEDS_ESCAPE.test(text) ? `"${text.replace(/["\\]/g, '\\$&')}"` : `"${text}"`;
}

/**
 * A one-dimensional Postgres array literal (`{"a","b\"c",NULL,1.5,t}`) of scalars: what node-postgres would send
 * for a JS array, built in one pass (its generic per-element conversion was ~7 % of the ingest worker's CPU).
 */
export function arrayLiteral(values: readonly unknown[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    out += element(values[i]);
  }
  return `${out}}`;
}

/** The array literal of column `col` of `rows`, read in place (no array per column); `json` serialises objects. */
function columnLiteral(rows: readonly Row[], col: number, json: boolean): string {
  let out = '{';
  for (let r = 0; r < rows.length; r++) {
    const v = rows[r][col];
    if (r > 0) out += ',';
    out += element(json && v !== null && v !== undefined ? JSON.stringify(v) : v);
  }
  return `${out}}`;
}

export const cols = (spec: string): Column[] =>
  spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [name, type] = s.split(/\s+/);
      return { name, type: type ?? 'text' };
    });

/** ISO instant string for timestamptz parameters. */
export const iso = (ms: number | undefined | null): string | null =>
  ms === undefined || ms === null ? null : isoInstantOf(ms);

/**
 * Collapses rows sharing a key (a statement may touch a row only once), folding in event-time order, and
 * returns them in key order: every transaction then takes a table's row locks in one order, so two in
 * flight queue behind each other instead of deadlocking.
 */
export function collapse<T>(items: T[], key: (t: T) => string, merge: (acc: T, next: T) => T): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const prev = byKey.get(k);
    byKey.set(k, prev === undefined ? item : merge(prev, item));
  }
  return [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}
