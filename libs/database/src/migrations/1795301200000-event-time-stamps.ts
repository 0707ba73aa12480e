import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event-time stamps for the projection columns that had none, so every group of columns is set by the newest
 * event (event time, then event id) that carries it, whatever the batches the events arrived in:
 * - work_orders: `updated_event_id` (with `updated_at`: customer, branch and kind follow the newest event),
 *   `serial_number_at/_event_id` (the newest event that named the machine);
 * - complaints: `updated_at/updated_event_id` (the customer follows the newest event);
 * - machines: `oem_name_at/_event_id`, `model_at/_event_id` (written by snapshots and deliveries),
 *   `engine_running_at/_event_id`, `active_fault_codes_at/_event_id` (a snapshot may leave either out),
 *   `branch_at/_event_id` (deliveries and transfers; a transfer may name no branch).
 * Backfill: the newest event time the row already records (the stored value is taken as of then).
 */
export class EventTimeStamps1795301200000 implements MigrationInterface {
  name = 'EventTimeStamps1795301200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE work_orders ADD COLUMN updated_event_id text,
        ADD COLUMN serial_number_at timestamptz, ADD COLUMN serial_number_event_id text`);
    await q.query(`
      UPDATE work_orders SET updated_event_id = CASE
          WHEN closed_at = updated_at AND (opened_at IS DISTINCT FROM updated_at OR closed_event_id > opened_event_id)
            THEN closed_event_id
          WHEN opened_at = updated_at THEN opened_event_id
          ELSE '' END`);
    await q.query(`
      UPDATE work_orders SET serial_number_at = updated_at, serial_number_event_id = updated_event_id
       WHERE serial_number IS NOT NULL`);

    await q.query(
      `ALTER TABLE complaints ADD COLUMN updated_at timestamptz, ADD COLUMN updated_event_id text`,
    );
    await q.query(`
      UPDATE complaints SET updated_at = GREATEST(opened_at, resolved_at),
        updated_event_id = CASE
          WHEN resolved_at IS NULL OR (opened_at, opened_event_id) > (resolved_at, resolved_event_id)
            THEN opened_event_id
          ELSE resolved_event_id END`);

    await q.query(`
      ALTER TABLE machines ADD COLUMN oem_name_at timestamptz, ADD COLUMN oem_name_event_id text,
        ADD COLUMN model_at timestamptz, ADD COLUMN model_event_id text,
        ADD COLUMN engine_running_at timestamptz, ADD COLUMN engine_running_event_id text,
        ADD COLUMN active_fault_codes_at timestamptz, ADD COLUMN active_fault_codes_event_id text,
        ADD COLUMN branch_at timestamptz, ADD COLUMN branch_event_id text`);
    const newest = (c: 'at' | 'id') => `CASE
        WHEN owner_since IS NULL OR last_telematics_at >= owner_since
          THEN ${c === 'at' ? 'last_telematics_at' : 'last_telematics_event_id'}
        ELSE ${c === 'at' ? 'owner_since' : 'owner_event_id'} END`;
    await q.query(`
      UPDATE machines SET
        oem_name_at = CASE WHEN oem_name IS NOT NULL THEN ${newest('at')} END,
        oem_name_event_id = CASE WHEN oem_name IS NOT NULL THEN ${newest('id')} END,
        model_at = CASE WHEN model IS NOT NULL THEN ${newest('at')} END,
        model_event_id = CASE WHEN model IS NOT NULL THEN ${newest('id')} END,
        engine_running_at = CASE WHEN engine_running IS NOT NULL THEN last_telematics_at END,
        engine_running_event_id = CASE WHEN engine_running IS NOT NULL THEN last_telematics_event_id END,
        active_fault_codes_at = CASE WHEN active_fault_codes IS NOT NULL THEN last_telematics_at END,
        active_fault_codes_event_id = CASE WHEN active_fault_codes IS NOT NULL THEN last_telematics_event_id END,
        branch_at = CASE WHEN branch_id IS NOT NULL THEN owner_since END,
        branch_event_id = CASE WHEN branch_id IS NOT NULL THEN owner_event_id END
       WHERE oem_name IS NOT NULL OR model IS NOT NULL OR branch_id IS NOT NULL OR engine_running IS NOT NULL
          OR active_fault_codes IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE machines DROP COLUMN branch_event_id, DROP COLUMN branch_at,
        DROP COLUMN active_fault_codes_event_id, DROP COLUMN active_fault_codes_at,
        DROP COLUMN engine_running_event_id, DROP COLUMN engine_running_at, DROP COLUMN model_event_id,
        DROP COLUMN model_at, DROP COLUMN oem_name_event_id, DROP COLUMN oem_name_at`);
    await q.query('ALTER TABLE complaints DROP COLUMN updated_event_id, DROP COLUMN updated_at');
    await q.query(`
      ALTER TABLE work_orders DROP COLUMN serial_number_event_id, DROP COLUMN serial_number_at,
        DROP COLUMN updated_event_id`);
  }
}
