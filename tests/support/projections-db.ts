import type { DataSource } from 'typeorm';

const TABLES: Record<string, string> = {
  customers: 'dealer_id, customer_id',
  machines: 'dealer_id, serial_number',
  telematics_readings: 'dealer_id, event_id',
  data_quality_flags: 'dealer_id, event_id, kind',
  warranties: 'dealer_id, serial_number, contract_id',
  ownership_history: 'dealer_id, event_id',
  work_orders: 'dealer_id, work_order_id',
  parts_sales: 'dealer_id, invoice_id',
  complaints: 'dealer_id, complaint_id',
  surveys: 'dealer_id, survey_id',
  timeline: 'dealer_id, event_id',
};

/** md5 of every projection row (in key order): equal checksums = equal projected state. */
export async function projectionChecksum(ds: DataSource, schema: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [table, key] of Object.entries(TABLES)) {
    const rows = await ds.query<{ sum: string | null; n: string }[]>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY ${key})) AS sum, count(*) AS n FROM ${schema}.${table} t`,
    );
    out[table] = `${rows[0].n}:${rows[0].sum ?? '-'}`;
  }
  return out;
}

export async function countProcessed(ds: DataSource, schema: string): Promise<number> {
  const rows = await ds.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${schema}.processed_events`);
  return Number(rows[0].n);
}
