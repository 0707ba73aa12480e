import { DEFAULT_RULE_SET } from '@rp/risk';
import { createLogger } from '@rp/observability';
import { archiveSchemaOf, rebuildLive, ReplayOptionError, silentProgress } from '@rp/replay';
import {
  countProcessed,
  fleetHistory,
  ingestHarness,
  produceEvents,
  projectionChecksum,
  testConfig,
  waitFor,
  type IngestHarness,
} from '../../support';

/** `replay --rebuild`: live projections rebuilt from the log while live keeps ingesting, then swapped in. */
describe('rebuild of the live projections', () => {
  const config = testConfig({ RISK_ALLOWED_LATENESS_MS: '0' });
  const logger = createLogger('silent');
  const schema = config.database.schema;
  const history = fleetHistory(12, 40);
  const later = fleetHistory(12, 40, 'd2'); // another dealer's events, arriving during the rebuild
  const archive = archiveSchemaOf(schema, 'rb');
  const foreign = archiveSchemaOf(schema, 'other'); // a schema of that name the swap did not make
  let live: IngestHarness;

  beforeAll(async () => {
    live = await ingestHarness(config, { ruleSet: DEFAULT_RULE_SET, allowedLatenessMs: 0 });
    await produceEvents(live.producer, config.topics, history);
    await live.startConsumer();
    await waitFor(
      'live to apply',
      async () => (await countProcessed(live.ds, schema)) >= history.length,
      120_000,
      500,
    );
  });

  afterAll(async () => {
    await live.ds.query(`DROP SCHEMA IF EXISTS replay_rb CASCADE`);
    await live.ds.query(`DROP SCHEMA IF EXISTS replay_other CASCADE`);
    await live.ds.query(`DROP SCHEMA IF EXISTS ${archive} CASCADE`);
    await live.ds.query(`DROP SCHEMA IF EXISTS ${foreign} CASCADE`);
    await live.close();
  });

  it('rebuilds damaged projections, keeps what live applied meanwhile, and leaves decisions alone', async () => {
    const good = await projectionChecksum(live.ds, schema);
    const [{ n: decisionsBefore }] = await live.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${schema}.decisions`,
    );
    const timelineOf = async (s: string, dealer = 'd1') =>
      (
        await live.ds.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM ${s}.timeline WHERE dealer_id = $1`,
          [dealer],
        )
      )[0].n;
    const timelineBefore = await timelineOf(schema);
    expect(timelineBefore).toBeGreaterThan(history.length / 2);
    // Damage the live projections the way a buggy projector release would.
    await live.ds.query(`UPDATE ${schema}.machines SET hour_meter = 0`);
    await live.ds.query(`DELETE FROM ${schema}.timeline_events WHERE dealer_id = 'd1'`);
    await live.ds.query(`DELETE FROM ${schema}.work_orders WHERE work_order_id LIKE '1-%'`);
    expect(await projectionChecksum(live.ds, schema)).not.toEqual(good);

    const producing = produceEvents(live.producer, config.topics, later); // live moves on meanwhile
    const out = await rebuildLive(
      { config, kafka: live.kafka, logger, progress: silentProgress },
      'rb',
      DEFAULT_RULE_SET,
    );
    await producing;
    expect(out.interrupted).toBe(false);
    expect(out.tables).toEqual(
      expect.arrayContaining(['machines', 'processed_events', 'work_orders', 'customers']),
    );
    expect(out.tables).not.toContain('decisions');

    await waitFor(
      'live to apply the later events',
      async () => (await countProcessed(live.ds, schema)) >= history.length + later.length,
      120_000,
      500,
    );
    // Only the first dealer's rows compare with the checksum taken before: filter by dealer.
    const d1 = async (s: string) =>
      live.ds.query<{ sum: string }[]>(
        `SELECT md5(string_agg(t::text, '|' ORDER BY serial_number)) AS sum FROM ${s}.machines t WHERE dealer_id = 'd1'`,
      );
    const [{ n: wos }] = await live.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${schema}.work_orders WHERE dealer_id = 'd1' AND work_order_id LIKE '1-%'`,
    );
    expect(wos).toBeGreaterThan(0);
    expect(await d1(schema)).not.toEqual(await d1(archive)); // the damaged copy is archived
    const [{ zero }] = await live.ds.query<{ zero: number }[]>(
      `SELECT count(*)::int AS zero FROM ${schema}.machines WHERE dealer_id = 'd1' AND hour_meter = 0`,
    );
    expect(zero).toBe(0);
    expect(await countProcessed(live.ds, schema)).toBe(history.length + later.length);
    const [{ n: decisionsAfter }] = await live.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${schema}.decisions`,
    );
    expect(decisionsAfter).toBeGreaterThanOrEqual(decisionsBefore);

    const again = await rebuildLive(
      { config, kafka: live.kafka, logger, progress: silentProgress },
      'rb',
      DEFAULT_RULE_SET,
    );
    expect(again.alreadySwapped).toBe(true);

    // The live timeline view reads the new tables (its trigger too); the archived one the replaced tables.
    expect(await timelineOf(schema)).toBe(timelineBefore);
    const [{ n: archivedReadings }] = await live.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${archive}.telematics_readings WHERE dealer_id = 'd1'`,
    );
    expect(archivedReadings).toBeLessThan(timelineBefore);
    expect(await timelineOf(archive)).toBe(archivedReadings); // the damaged copy: its other events deleted
    const readsFrom = await live.ds.query<{ schema: string }[]>(
      `SELECT DISTINCT n.nspname AS schema FROM pg_depend d
         JOIN pg_rewrite r ON r.oid = d.objid AND d.classid = 'pg_rewrite'::regclass
         JOIN pg_class v ON v.oid = r.ev_class JOIN pg_namespace vn ON vn.oid = v.relnamespace
         JOIN pg_class t ON t.oid = d.refobjid AND d.refclassid = 'pg_class'::regclass AND t.oid <> v.oid
         JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE vn.nspname = $1 AND v.relname = 'timeline'`,
      [schema],
    );
    expect(readsFrom).toEqual([{ schema }]);
    await live.ds.query(
      `INSERT INTO ${schema}.timeline (dealer_id, event_id, type, occurred_at, customer_id, serial_number, summary)
       VALUES ('d1', 'manual-1', 'note', now(), 'c-0', 'SN-0', '{}')`,
    );
    expect(await timelineOf(schema)).toBe(timelineBefore + 1);
    const [{ n: manual }] = await live.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${schema}.timeline_events WHERE event_id = 'manual-1'`,
    );
    expect(manual).toBe(1);
    // The rebuilt schema keeps no view over tables that now belong to live.
    const [{ n: leftViews }] = await live.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM information_schema.views WHERE table_schema = 'replay_rb'`,
    );
    expect(leftViews).toBe(0);

    // A second rebuild under the same name is refused before it reads anything: the archive is still there.
    await live.ds.query(`DROP SCHEMA replay_rb CASCADE`); // what `replay --drop --name rb` does
    await expect(
      rebuildLive({ config, kafka: live.kafka, logger, progress: silentProgress }, 'rb', DEFAULT_RULE_SET),
    ).rejects.toThrow(ReplayOptionError);
    await expect(
      rebuildLive({ config, kafka: live.kafka, logger, progress: silentProgress }, 'rb', DEFAULT_RULE_SET),
    ).rejects.toThrow(
      `--rebuild --name rb: schema ${archive} (the tables an earlier rebuild "rb" replaced in ${schema}) still exists; ` +
        `drop it when you no longer need it (DROP SCHEMA "${archive}" CASCADE) or choose another --name`,
    );
    const [{ n: recreated }] = await live.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = 'replay_rb'`,
    );
    expect(recreated).toBe(0);

    // A schema of the archive's name that the swap did not make is named, and no DROP is suggested for it.
    await live.ds.query(`CREATE SCHEMA ${foreign}`);
    await expect(
      rebuildLive({ config, kafka: live.kafka, logger, progress: silentProgress }, 'other', DEFAULT_RULE_SET),
    ).rejects.toThrow(
      new ReplayOptionError(
        `--rebuild --name other: schema ${foreign}, where this rebuild would keep the tables it replaces, already exists ` +
          `and is not an archive of rebuild "other" of ${schema}; choose another --name`,
      ),
    );

    // Dropping the archive, as the CLI advises, leaves the live view and its rows alone.
    await live.ds.query(`DROP SCHEMA ${archive} CASCADE`);
    expect(await timelineOf(schema)).toBe(timelineBefore + 1);
  });
});
