import type { DataSource, QueryRunner } from 'typeorm';

export interface StatementStat {
  label: string;
  calls: number;
  ms: number;
}

const NOT_TABLES = new Set(['unnest', 'lateral', 'select', 'generate_series', 'set']);

/** "insert machines", "select telematics_readings", "with machines+ownership_history", … */
function labelOf(sql: string): string {
  const s = sql
    .replace(/\s+/g, ' ')
    .replace(/extract\(\s*epoch\s+from/gi, 'extract(')
    .trim();
  const verb = /^\w+/.exec(s)?.[0].toLowerCase() ?? '?';
  if (/^(start|commit|rollback|begin)/.test(verb)) return s.slice(0, 20);
  const tables = [...s.matchAll(/\b(?:FROM|JOIN|INTO|UPDATE)\s+"?([a-z_][a-z0-9_]*)"?/gi)]
    .map((m) => m[1].toLowerCase())
    .filter((t) => t.length > 2 && !NOT_TABLES.has(t));
  return `${verb} ${[...new Set(tables)].slice(0, 3).join('+') || s.slice(0, 30)}`;
}

/**
 * Times every statement the DataSource's query runners send (the ingest handler's transactions included),
 * by statement kind and table: a pg_stat_statements-free view of where the ingest path spends its time.
 */
export function timeStatements(ds: DataSource): { stats: () => StatementStat[]; reset: () => void } {
  const stats = new Map<string, StatementStat>();
  const count = (sql: string, t: number) => {
    const label = labelOf(sql);
    const s = stats.get(label) ?? { label, calls: 0, ms: 0 };
    s.calls++;
    s.ms += performance.now() - t;
    stats.set(label, s);
  };
  const timed =
    <A extends unknown[], R>(sqlOf: (...a: A) => string | undefined, f: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      const sql = sqlOf(...a);
      const t = performance.now();
      try {
        return await f(...a);
      } finally {
        if (sql !== undefined) count(sql, t);
      }
    };
  const create = ds.createQueryRunner.bind(ds);
  ds.createQueryRunner = (mode) => {
    const qr = create(mode);
    qr.query = timed((sql: string) => sql, qr.query.bind(qr)) as QueryRunner['query'];
    // Named prepared statements (a sweep round's) go to the pg client directly: time those too.
    const connect = qr.connect.bind(qr);
    qr.connect = async () => {
      const client = (await connect()) as { query: (...a: unknown[]) => unknown; timed?: boolean };
      if (!client.timed) {
        client.timed = true;
        const query = client.query.bind(client) as (...a: unknown[]) => Promise<unknown>;
        client.query = timed((c: unknown) => {
          const named = c as { name?: string; text?: string };
          return typeof c === 'object' && c !== null && named.name && named.text ? named.text : undefined;
        }, query);
      }
      return client;
    };
    return qr;
  };
  return { stats: () => [...stats.values()].sort((a, b) => b.ms - a.ms), reset: () => stats.clear() };
}
