import {
  countProcessed,
  fleetHistory,
  ingestHarness,
  produceEvents,
  stack,
  testConfig,
  waitFor,
  type IngestHarness,
} from '../../support';

describe('Postgres stopped mid-stream (real Kafka and Postgres)', () => {
  const config = testConfig();
  const schema = config.database.schema;
  let h: IngestHarness;

  beforeAll(async () => {
    h = await ingestHarness(config);
  });
  afterAll(async () => {
    stack('up', 'postgres');
    await h.close();
  });

  it('dead-letters nothing, skips nothing, and applies everything once Postgres is back', async () => {
    const events = fleetHistory(40, 20);
    const half = Math.floor(events.length / 2);
    await produceEvents(h.producer, config.topics, events.slice(0, half));
    await h.startConsumer();
    await waitFor('first half applied', async () => (await countProcessed(h.ds, schema)) === half, 60_000);

    stack('down', 'postgres');
    await produceEvents(h.producer, config.topics, events.slice(half));
    await new Promise((r) => setTimeout(r, 4000)); // the consumer keeps failing and retrying meanwhile
    stack('up', 'postgres');

    await waitFor(
      'all events applied',
      async () => (await countProcessed(h.ds, schema)) === events.length,
      90_000,
      500,
    );
    const admin = h.kafka.admin();
    await admin.connect();
    const dlqEnds = await Promise.all(
      [config.topics.telematics, config.topics.warranty, config.topics.service].map((t) =>
        admin.fetchTopicOffsets(`${t}.dlq`),
      ),
    );
    await admin.disconnect();
    expect(dlqEnds.flat().map((p) => p.high)).toEqual(dlqEnds.flat().map(() => '0'));
    const readings = await h.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${schema}.telematics_readings`,
    );
    expect(readings[0].n).toBe(events.filter((e) => e.type === 'telematics.snapshot').length);
  });
});
