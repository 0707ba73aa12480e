import { DEFAULT_RULE_SET } from '@rp/risk';
import { createLogger } from '@rp/observability';
import { rebuildLive, silentProgress } from '@rp/replay';
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
    await live.ds.query(`DROP SCHEMA IF EXISTS ${schema}_before_rb CASCADE`);
    await live.close();
  });

  it('rebuilds damaged projections, keeps what live applied meanwhile, and leaves decisions alone', async () => {
    const good = await projectionChecksum(live.ds, schema);
    const [{ n: decisionsBefore }] = await live.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${schema}.decisions`,
    );
    // Damage the live projections the way a buggy projector release would.
    await live.ds.query(`UPDATE ${schema}.machines SET hour_meter = 0`);
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
    expect(await d1(schema)).not.toEqual(await d1(`${schema}_before_rb`)); // the damaged copy is archived
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
  });
});
