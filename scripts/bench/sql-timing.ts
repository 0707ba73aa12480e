import type { DataSource, QueryRunner } from 'typeorm';

export interface StatementStat {
  label: string;
  calls: number;
  ms: number;
}

/** "insert machines", "delete risk_timers", "START TRANSACTION", … */
function labelOf(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  const m = /^(INSERT INTO|DELETE FROM|UPDATE|WITH)\s+("?\w+"?)/i.exec(s);
  if (m) return `${m[1].split(' ')[0].toLowerCase()} ${m[2].replace(/"/g, '')}`;
  const from = /^SELECT .*? FROM ("?\w+"?)/i.exec(s);
  if (from) return `select … from ${from[1].replace(/"/g, '')}`;
  return s.slice(0, 40);
}

/**
 * Times every statement the DataSource's query runners send (the ingest handler's transactions included),
 * by statement kind and table: a pg_stat_statements-free view of where the ingest path spends its time.
 */
export function timeStatements(ds: DataSource): { stats: () => StatementStat[]; reset: () => void } {
  const stats = new Map<string, StatementStat>();
  const create = ds.createQueryRunner.bind(ds);
  ds.createQueryRunner = (mode) => {
    const qr = create(mode);
    const query = qr.query.bind(qr) as (
      sql: string,
      params?: unknown[],
      structured?: boolean,
    ) => Promise<unknown>;
    qr.query = (async (sql: string, params?: unknown[], structured?: boolean) => {
      const t = performance.now();
      try {
        return await query(sql, params, structured);
      } finally {
        const label = labelOf(sql);
        const s = stats.get(label) ?? { label, calls: 0, ms: 0 };
        s.calls++;
        s.ms += performance.now() - t;
        stats.set(label, s);
      }
    }) as QueryRunner['query'];
    return qr;
  };
  return { stats: () => [...stats.values()].sort((a, b) => b.ms - a.ms), reset: () => stats.clear() };
}
