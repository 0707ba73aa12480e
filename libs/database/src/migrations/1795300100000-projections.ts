import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ingest projections. Every table and unique key starts with dealer_id (tenant isolation).
 * "Latest" columns carry the event time they come from, so they only move forward in event time.
 */
export class Projections1795300100000 implements MigrationInterface {
  name = 'Projections1795300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customers (
        dealer_id text NOT NULL, customer_id text NOT NULL,
        name text, branch_id text, phone text, email text,
        updated_at timestamptz NOT NULL, event_id text NOT NULL,
        PRIMARY KEY (dealer_id, customer_id))`);
    await q.query(`
      CREATE TABLE machines (
        dealer_id text NOT NULL, serial_number text NOT NULL,
        customer_id text, branch_id text, owner_since timestamptz, owner_event_id text,
        oem_name text, model text,
        delivered_at timestamptz, sold_at timestamptz,
        hour_meter numeric, hour_meter_at timestamptz, idle_hours numeric, fuel_used_litres numeric,
        latitude double precision, longitude double precision, location_at timestamptz,
        engine_running boolean, active_fault_codes jsonb,
        last_telematics_at timestamptz, last_telematics_event_id text,
        PRIMARY KEY (dealer_id, serial_number))`);
    await q.query(`CREATE INDEX machines_customer_idx ON machines (dealer_id, customer_id)`);
    await q.query(`
      CREATE TABLE telematics_readings (
        dealer_id text NOT NULL, event_id text NOT NULL, serial_number text NOT NULL,
        occurred_at timestamptz NOT NULL, operating_hours numeric, idle_hours numeric,
        latitude double precision, longitude double precision, engine_running boolean,
        fault_codes jsonb NOT NULL DEFAULT '[]',
        PRIMARY KEY (dealer_id, event_id))`);
    await q.query(
      `CREATE INDEX telematics_readings_machine_idx ON telematics_readings (dealer_id, serial_number, occurred_at)`,
    );
    await q.query(`
      CREATE TABLE data_quality_flags (
        dealer_id text NOT NULL, event_id text NOT NULL, kind text NOT NULL, serial_number text,
        occurred_at timestamptz NOT NULL, detail jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (dealer_id, event_id, kind))`);
    await q.query(`
      CREATE TABLE warranties (
        dealer_id text NOT NULL, serial_number text NOT NULL, contract_id text NOT NULL,
        coverage text NOT NULL, customer_id text, branch_id text,
        starts_at timestamptz, ends_at timestamptz, hours_limit numeric, amount numeric, currency text,
        expiring_notice_at timestamptz, expired_at timestamptz,
        updated_at timestamptz NOT NULL, event_id text NOT NULL,
        PRIMARY KEY (dealer_id, serial_number, contract_id))`);
    await q.query(`
      CREATE TABLE ownership_history (
        dealer_id text NOT NULL, event_id text NOT NULL, serial_number text NOT NULL,
        from_customer_id text, to_customer_id text NOT NULL, branch_id text,
        transferred_at timestamptz NOT NULL,
        PRIMARY KEY (dealer_id, event_id))`);
    await q.query(
      `CREATE INDEX ownership_history_machine_idx ON ownership_history (dealer_id, serial_number, transferred_at)`,
    );
    await q.query(`
      CREATE TABLE work_orders (
        dealer_id text NOT NULL, work_order_id text NOT NULL,
        customer_id text NOT NULL, branch_id text NOT NULL, serial_number text, kind text NOT NULL,
        opened_at timestamptz, hours_at_open numeric, opened_event_id text,
        closed_at timestamptz, labor_amount numeric, parts_amount numeric, currency text, gross_profit numeric,
        hours_at_service numeric, downtime_hours numeric, closed_event_id text,
        updated_at timestamptz NOT NULL,
        PRIMARY KEY (dealer_id, work_order_id))`);
    await q.query(`CREATE INDEX work_orders_machine_idx ON work_orders (dealer_id, serial_number)`);
    await q.query(`CREATE INDEX work_orders_customer_idx ON work_orders (dealer_id, customer_id)`);
    await q.query(`
      CREATE TABLE parts_sales (
        dealer_id text NOT NULL, invoice_id text NOT NULL,
        customer_id text NOT NULL, branch_id text NOT NULL, serial_number text,
        amount numeric NOT NULL, currency text NOT NULL, gross_profit numeric, category text,
        sold_at timestamptz NOT NULL, event_id text NOT NULL,
        PRIMARY KEY (dealer_id, invoice_id))`);
    await q.query(`CREATE INDEX parts_sales_customer_idx ON parts_sales (dealer_id, customer_id)`);
    await q.query(`
      CREATE TABLE complaints (
        dealer_id text NOT NULL, complaint_id text NOT NULL, customer_id text NOT NULL,
        serial_number text, category text, severity text,
        opened_at timestamptz, opened_event_id text, resolved_at timestamptz, resolved_event_id text,
        PRIMARY KEY (dealer_id, complaint_id))`);
    await q.query(`
      CREATE TABLE surveys (
        dealer_id text NOT NULL, survey_id text NOT NULL, customer_id text NOT NULL,
        serial_number text, work_order_id text, nps integer, ces integer, csat integer, comment text,
        responded_at timestamptz NOT NULL, event_id text NOT NULL,
        PRIMARY KEY (dealer_id, survey_id))`);
    await q.query(`
      CREATE TABLE timeline (
        dealer_id text NOT NULL, event_id text NOT NULL, type text NOT NULL,
        occurred_at timestamptz NOT NULL, customer_id text, serial_number text,
        summary jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (dealer_id, event_id))`);
    await q.query(`CREATE INDEX timeline_customer_idx ON timeline (dealer_id, customer_id, occurred_at)`);
    await q.query(`CREATE INDEX timeline_machine_idx ON timeline (dealer_id, serial_number, occurred_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'timeline',
      'surveys',
      'complaints',
      'parts_sales',
      'work_orders',
      'ownership_history',
      'warranties',
      'data_quality_flags',
      'telematics_readings',
      'machines',
      'customers',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
