import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event-time stamps for the columns that still followed arrival order, so each is set by the newest event
 * (event time, then event id) that carries it, whatever the batches:
 * - warranties: the holder (`customer_set_at/_event_id`: customer and branch), `starts_set_at/_event_id`,
 *   `ends_set_at/_event_id`, `hours_limit_set_at/_event_id`, the price (`price_set_at/_event_id`: amount and
 *   currency) and `expired_set_at/_event_id`;
 * - machines: `location_event_id` (with `location_at`: two snapshots of one instant, the greater id wins).
 * Backfill: a warranty's stored facts are taken as of its newest event (`updated_at`, `event_id`); a machine's
 * location as of the reading at `location_at` with those coordinates (the greatest such id), else '' (unknown:
 * any other snapshot of that instant wins the tie).
 */
export class WarrantyLocationStamps1795301500000 implements MigrationInterface {
  name = 'WarrantyLocationStamps1795301500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE warranties ADD COLUMN customer_set_at timestamptz, ADD COLUMN customer_event_id text,
        ADD COLUMN starts_set_at timestamptz, ADD COLUMN starts_event_id text,
        ADD COLUMN ends_set_at timestamptz, ADD COLUMN ends_event_id text,
        ADD COLUMN hours_limit_set_at timestamptz, ADD COLUMN hours_limit_event_id text,
        ADD COLUMN price_set_at timestamptz, ADD COLUMN price_event_id text,
        ADD COLUMN expired_set_at timestamptz, ADD COLUMN expired_event_id text`);
    const stamp = (name: string, carried: string) => `
        ${name}_set_at = CASE WHEN ${carried} THEN updated_at END,
        ${name}_event_id = CASE WHEN ${carried} THEN event_id END`;
    await q.query(`
      UPDATE warranties SET
        ${stamp('customer', 'customer_id IS NOT NULL OR branch_id IS NOT NULL')},
        ${stamp('starts', 'starts_at IS NOT NULL')},
        ${stamp('ends', 'ends_at IS NOT NULL')},
        ${stamp('hours_limit', 'hours_limit IS NOT NULL')},
        ${stamp('price', 'amount IS NOT NULL OR currency IS NOT NULL')},
        ${stamp('expired', 'expired_at IS NOT NULL')}`);

    await q.query('ALTER TABLE machines ADD COLUMN location_event_id text');
    await q.query(`
      UPDATE machines m SET location_event_id = COALESCE((
          SELECT r.event_id FROM telematics_readings r
           WHERE r.dealer_id = m.dealer_id AND r.serial_number = m.serial_number AND r.occurred_at = m.location_at
             AND r.latitude = m.latitude AND r.longitude = m.longitude
           ORDER BY r.event_id COLLATE "C" DESC LIMIT 1), '')
       WHERE m.location_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE machines DROP COLUMN location_event_id');
    await q.query(`
      ALTER TABLE warranties DROP COLUMN expired_event_id, DROP COLUMN expired_set_at,
        DROP COLUMN price_event_id, DROP COLUMN price_set_at,
        DROP COLUMN hours_limit_event_id, DROP COLUMN hours_limit_set_at,
        DROP COLUMN ends_event_id, DROP COLUMN ends_set_at,
        DROP COLUMN starts_event_id, DROP COLUMN starts_set_at,
        DROP COLUMN customer_event_id, DROP COLUMN customer_set_at`);
  }
}
