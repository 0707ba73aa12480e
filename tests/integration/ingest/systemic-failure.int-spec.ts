import type { Admin } from 'kafkajs';
import { dlqTopic } from '@rp/config';
import type { BatchConsumer } from '@rp/ingest';
import { ev, ingestHarness, readFromBeginning, testConfig, waitFor, type IngestHarness } from '../../support';

/**
 * A database-wide failure (read-only after a failover, a blocking trigger, …) says nothing about the events:
 * the partition waits and retries, nothing is dead-lettered or committed, and once the failure is lifted
 * every event is applied exactly once. A failure of one event alone still dead-letters only that event.
 */
describe('systemic database failures hold the partition (real Kafka, Postgres, consumer)', () => {
  const config = testConfig();
  const schema = config.database.schema;
  const topic = config.topics.service;
  const dlq = dlqTopic(topic);
  let h: IngestHarness;
  let admin: Admin;
  let consumer: BatchConsumer;

  const sale = (id: string) =>
    JSON.stringify(
      ev(id, 'parts.sold', '2026-01-01T00:00:00Z', {
        invoiceId: id,
        customerId: 'c1',
        branchId: 'b1',
        amount: 10,
        currency: 'EUR',
      }),
    );
  const produce = async (ids: string[]) => {
    await h.producer.send({
      topic,
      acks: -1,
      messages: ids.map((id) => ({ key: 'same-key', value: sale(id) })),
    });
  };
  const invoices = async (prefix: string) =>
    (
      await h.ds.query<{ invoice_id: string }[]>(
        `SELECT invoice_id FROM ${schema}.parts_sales WHERE invoice_id LIKE $1 ORDER BY invoice_id`,
        [`${prefix}%`],
      )
    ).map((r) => r.invoice_id);
  const processed = async (prefix: string) =>
    Number(
      (
        await h.ds.query<{ n: string }[]>(
          `SELECT count(*) AS n FROM ${schema}.processed_events WHERE event_id LIKE $1`,
          [`${prefix}%`],
        )
      )[0].n,
    );
  /** Committed offsets of the ingest group, and the topic's ends, summed over partitions. */
  const committed = async () => {
    const [c] = await admin.fetchOffsets({ groupId: config.kafka.groupId, topics: [topic] });
    return c.partitions.reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
  };
  const end = async () => (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  const dlqSize = async () => (await admin.fetchTopicOffsets(dlq)).reduce((n, p) => n + Number(p.high), 0);

  /** A trigger on parts_sales raising `errcode` for the rows `when` selects. */
  const block = (errcode: string, when = 'true') =>
    h.ds.query(
      `CREATE FUNCTION ${schema}.test_block() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF ${when} THEN RAISE EXCEPTION 'simulated failure' USING ERRCODE = '${errcode}'; END IF;
         RETURN NEW;
       END $$;
       CREATE TRIGGER test_block BEFORE INSERT OR UPDATE ON ${schema}.parts_sales
         FOR EACH ROW EXECUTE FUNCTION ${schema}.test_block()`,
    );
  const unblock = () => h.ds.query(`DROP FUNCTION ${schema}.test_block() CASCADE`);

  /** While the failure lasts: retried (the consumer saw it), nothing committed, nothing dead-lettered. */
  const expectHeld = async (errorText: string, committedBefore: number, prefix: string) => {
    consumer.lastError = undefined;
    await waitFor('the consumer retrying the failed batch', () => consumer.lastError?.includes(errorText));
    // A few more retries (back-off 200 ms, 400 ms, …).
    await new Promise((r) => setTimeout(r, 2_500));
    expect(consumer.lastError).toContain(errorText);
    expect(await committed()).toBe(committedBefore);
    expect(await end()).toBeGreaterThan(committedBefore);
    expect(await dlqSize()).toBe(0);
    expect(await invoices(prefix)).toEqual([]);
  };

  beforeAll(async () => {
    h = await ingestHarness(config);
    admin = h.kafka.admin();
    await admin.connect();
    consumer = await h.startConsumer();
  });
  afterAll(async () => {
    await admin.disconnect();
    await h.close();
  });

  it('a read-only database (SQLSTATE 25006) holds even a batch of one event, then applies it once', async () => {
    await block('25006'); // read_only_sql_transaction, as after a failover to a replica
    await produce(['ro-1']);
    await expectHeld('simulated failure', 0, 'ro-');

    await unblock();
    await waitFor('the event applied', async () => (await committed()) === 1, 30_000);
    expect(await invoices('ro-')).toEqual(['ro-1']);
    expect(await processed('ro-')).toBe(1);
    expect(await dlqSize()).toBe(0);
  });

  it('a failure of one event alone (check_violation) dead-letters only that event; its neighbours are applied', async () => {
    const ids = ['one-1', 'one-2', 'one-poison', 'one-4', 'one-5'];
    const before = await committed();
    await block('23514', `NEW.invoice_id = 'one-poison'`);
    await produce(ids);
    await waitFor('the batch committed', async () => (await committed()) === before + 5, 30_000);
    await unblock();

    expect(await invoices('one-')).toEqual(['one-1', 'one-2', 'one-4', 'one-5']);
    expect(await processed('one-')).toBe(4);
    const [copy] = await readFromBeginning(h.kafka, [dlq], 1, { settleMs: 1_000 });
    const header = (k: string) => copy.message.headers?.[k]?.toString();
    expect(await dlqSize()).toBe(1);
    expect(header('x-error-code')).toBe('PROJECTION_FAILED');
    expect(header('x-error-message')).toBe('simulated failure');
    expect(header('x-source-offset')).toBe(String(before + 2));
    expect(copy.message.value?.toString()).toBe(sale('one-poison'));
  });
});
