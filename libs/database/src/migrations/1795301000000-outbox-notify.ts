import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * New outbox rows wake the relays at once: a statement-level trigger notifies channel `rp_outbox` with the
 * schema's name when the inserting transaction commits (Postgres folds repeats within one transaction).
 * Relays still poll, so a missed notification only costs their idle pause.
 */
export class OutboxNotify1795301000000 implements MigrationInterface {
  name = 'OutboxNotify1795301000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('rp_outbox', TG_TABLE_SCHEMA);
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TRIGGER outbox_notify ON outbox');
    await q.query('DROP FUNCTION outbox_notify()');
  }
}
