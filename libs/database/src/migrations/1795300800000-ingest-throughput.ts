import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A telematics snapshot's timeline summary, built from its reading (same keys as the ingest projector). */
const READING_SUMMARY = `jsonb_strip_nulls(jsonb_build_object(
    'hours', r.operating_hours,
    'engineRunning', r.engine_running,
    'location', CASE WHEN r.latitude IS NOT NULL AND r.longitude IS NOT NULL
                     THEN jsonb_build_object('latitude', r.latitude, 'longitude', r.longitude) END,
    'faultCodes', CASE WHEN r.fault_codes IS NOT NULL THEN COALESCE((
        SELECT jsonb_agg((f ->> 'code') || ':' || (f ->> 'severity') ORDER BY i)
          FROM jsonb_array_elements(r.fault_codes) WITH ORDINALITY AS x(f, i)), '[]'::jsonb) END))`;

/**
 * Ingest throughput. Telematics snapshots (the bulk of the stream) are no longer written twice: the
 * timeline's snapshot rows are derived from `telematics_readings` by the `timeline` view, which unions
 * them with the other events (`timeline_events`). A reading stores `fault_codes` NULL when the snapshot
 * carried no list (the timeline summary used to tell that apart from an empty list). Evaluation timers
 * carry the further instants of their subject (`later_ms`), so a batch writes one timer row per subject
 * instead of one per event. A reading is written only with its processed-event key (same transaction), so
 * its own primary key index, maintained for every snapshot, is dropped.
 */
export class IngestThroughput1795300800000 implements MigrationInterface {
  name = 'IngestThroughput1795300800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE telematics_readings ALTER COLUMN fault_codes DROP NOT NULL`);
    await q.query(`
      UPDATE telematics_readings r SET fault_codes = NULL
        FROM timeline t
       WHERE t.dealer_id = r.dealer_id AND t.event_id = r.event_id AND t.type = 'telematics.snapshot'
         AND t.summary -> 'faultCodes' IS NULL`);
    await q.query(`ALTER TABLE timeline RENAME TO timeline_events`);
    await q.query(`ALTER INDEX timeline_pkey RENAME TO timeline_events_pkey`);
    await q.query(`ALTER INDEX timeline_customer_idx RENAME TO timeline_events_customer_idx`);
    await q.query(`ALTER INDEX timeline_machine_idx RENAME TO timeline_events_machine_idx`);
    await q.query(`
      DELETE FROM timeline_events t
       WHERE t.type = 'telematics.snapshot'
         AND EXISTS (SELECT 1 FROM telematics_readings r WHERE r.dealer_id = t.dealer_id AND r.event_id = t.event_id)`);
    await q.query(`
      CREATE VIEW timeline AS
      SELECT dealer_id, event_id, type, occurred_at, customer_id, serial_number, summary FROM timeline_events
      UNION ALL
      SELECT r.dealer_id, r.event_id, 'telematics.snapshot'::text, r.occurred_at, NULL::text, r.serial_number,
             ${READING_SUMMARY}
        FROM telematics_readings r`);
    // Writers that address the timeline directly (tools, fixtures) still can: rows go to timeline_events.
    await q.query(`
      CREATE FUNCTION timeline_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO timeline_events (dealer_id, event_id, type, occurred_at, customer_id, serial_number, summary)
        VALUES (NEW.dealer_id, NEW.event_id, NEW.type, NEW.occurred_at, NEW.customer_id, NEW.serial_number,
                COALESCE(NEW.summary, '{}'::jsonb));
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER timeline_insert INSTEAD OF INSERT ON timeline FOR EACH ROW EXECUTE FUNCTION timeline_insert()`,
    );
    await q.query(`ALTER TABLE risk_timers ADD COLUMN later_ms bigint[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE telematics_readings DROP CONSTRAINT telematics_readings_pkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE telematics_readings ADD PRIMARY KEY (dealer_id, event_id)`);
    await q.query(`
      INSERT INTO risk_timers (dealer_id, customer_id, due_at)
      SELECT t.dealer_id, t.customer_id, to_timestamp(l / 1000.0) FROM risk_timers t, unnest(t.later_ms) AS l
      ON CONFLICT DO NOTHING`);
    await q.query(`ALTER TABLE risk_timers DROP COLUMN later_ms`);
    await q.query(`DROP TRIGGER timeline_insert ON timeline`);
    await q.query(`DROP VIEW timeline`);
    await q.query(`DROP FUNCTION timeline_insert()`);
    await q.query(`ALTER TABLE timeline_events RENAME TO timeline`);
    await q.query(`ALTER INDEX timeline_events_pkey RENAME TO timeline_pkey`);
    await q.query(`ALTER INDEX timeline_events_customer_idx RENAME TO timeline_customer_idx`);
    await q.query(`ALTER INDEX timeline_events_machine_idx RENAME TO timeline_machine_idx`);
    await q.query(`
      INSERT INTO timeline (dealer_id, event_id, type, occurred_at, customer_id, serial_number, summary)
      SELECT r.dealer_id, r.event_id, 'telematics.snapshot', r.occurred_at, NULL, r.serial_number, ${READING_SUMMARY}
        FROM telematics_readings r
      ON CONFLICT DO NOTHING`);
    await q.query(`UPDATE telematics_readings SET fault_codes = '[]' WHERE fault_codes IS NULL`);
    await q.query(`ALTER TABLE telematics_readings ALTER COLUMN fault_codes SET NOT NULL`);
  }
}
