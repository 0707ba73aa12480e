import type { EntityManager } from 'typeorm';
import { dlqTopic } from '@rp/config';
import { createDataSource } from '@rp/database';
import { createIngestHandler, type BatchContext, type Rejected } from '@rp/ingest';
import { Metrics } from '@rp/observability';
import { ev, testConfig, useMigratedSchema } from '../../support';

/**
 * Batches of several partitions handed over together share one transaction (group commit); a permanent
 * database error in one of them never costs the others their events.
 */
describe('ingest group commit (real Postgres)', () => {
  const config = testConfig();
  const t = config.topics;
  const ds = createDataSource({ ...config.database, poolSize: 4 });
  let transactions = 0;
  const rejected: { topic: string; partition: number; items: Rejected[] }[] = [];
  // The real DataSource; only its transactions are counted.
  const counting = new Proxy(ds, {
    get(target, prop, receiver) {
      if (prop === 'transaction') {
        return (run: (em: EntityManager) => Promise<unknown>) => {
          transactions++;
          return target.transaction(run);
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  const handle = createIngestHandler({
    ds: counting,
    metrics: new Metrics(false),
    topicKinds: { [t.telematics]: 'telematics', [t.warranty]: 'warranty', [t.service]: 'service' },
    dlqTopicOf: dlqTopic,
    rejectedSink: (items, topic, partition) => {
      rejected.push({ topic, partition, items });
      return Promise.resolve();
    },
  });

  const snapshot = (id: string, serial: string, day: number) =>
    ev(id, 'telematics.snapshot', `2026-03-${String(day).padStart(2, '0')}T08:00:00Z`, {
      serialNumber: serial,
      cumulativeOperatingHours: 100 + day,
    });
  const batch = (partition: number, events: ReturnType<typeof snapshot>[], from = 0): BatchContext => ({
    topic: t.telematics,
    partition,
    caughtUp: true,
    heartbeat: () => Promise.resolve(),
    messages: events.map((e, i) => ({
      key: Buffer.from(String(e.data.serialNumber)),
      value: Buffer.from(JSON.stringify(e)),
      headers: {},
      offset: String(from + i),
      timestamp: String(Date.parse(e.occurredAt)),
    })),
  });
  const processed = async () =>
    (await ds.query<{ event_id: string }[]>('SELECT event_id FROM processed_events ORDER BY event_id')).map(
      (r) => r.event_id,
    );

  useMigratedSchema(ds, config.database.schema);

  it('applies batches of several partitions handed over together in one transaction', async () => {
    transactions = 0;
    await Promise.all([
      handle(batch(0, [snapshot('g-a1', 'S-A', 1), snapshot('g-a2', 'S-A', 2)])),
      handle(batch(1, [snapshot('g-b1', 'S-B', 1)])),
      handle(batch(2, [snapshot('g-c1', 'S-C', 1)])),
    ]);
    expect(transactions).toBe(1);
    expect(await processed()).toEqual(['g-a1', 'g-a2', 'g-b1', 'g-c1']);
    const machines = await ds.query<{ serial_number: string; hour_meter: string }[]>(
      'SELECT serial_number, hour_meter FROM machines ORDER BY serial_number',
    );
    expect(machines.map((m) => [m.serial_number, Number(m.hour_meter)])).toEqual([
      ['S-A', 102],
      ['S-B', 101],
      ['S-C', 101],
    ]);
    // Redelivered together again: nothing changes, still one group. Its keys were expected new (the cheaper
    // plain insert): that transaction fails on a known key and the group is applied again tolerating them —
    // two transactions; the batches after it go straight to the tolerant one for a while.
    transactions = 0;
    await Promise.all([
      handle(batch(0, [snapshot('g-a1', 'S-A', 1), snapshot('g-a2', 'S-A', 2)])),
      handle(batch(1, [snapshot('g-b1', 'S-B', 1)])),
    ]);
    expect(transactions).toBe(2);
    expect(await processed()).toEqual(['g-a1', 'g-a2', 'g-b1', 'g-c1']);
    transactions = 0;
    await Promise.all([handle(batch(2, [snapshot('g-c1', 'S-C', 1), snapshot('g-c2', 'S-C', 2)]))]);
    expect(transactions).toBe(1);
    expect(await processed()).toEqual(['g-a1', 'g-a2', 'g-b1', 'g-c1', 'g-c2']);
    expect(rejected).toEqual([]);
  });

  it('a permanent database error in one partition’s batch dead-letters only the culprit', async () => {
    // A constraint no valid event breaks except this one: a permanent (non-transient) database error.
    await ds.query(
      `ALTER TABLE processed_events ADD CONSTRAINT test_poison CHECK (event_id <> 'p-poison') NOT VALID`,
    );
    rejected.length = 0;
    await Promise.all([
      handle(
        batch(
          3,
          [snapshot('p-a1', 'S-D', 3), snapshot('p-poison', 'S-D', 4), snapshot('p-a3', 'S-D', 5)],
          10,
        ),
      ),
      handle(batch(4, [snapshot('p-b1', 'S-E', 3), snapshot('p-b2', 'S-E', 4)], 20)),
    ]);
    const ids = await processed();
    expect(ids.filter((id) => id.startsWith('p-'))).toEqual(['p-a1', 'p-a3', 'p-b1', 'p-b2']);
    expect(rejected).toHaveLength(1);
    expect(rejected[0].partition).toBe(3);
    expect(rejected[0].items.map((r) => [r.code, r.message.offset])).toEqual([['PROJECTION_FAILED', '11']]);
    expect(rejected[0].items[0].reason).toContain('test_poison');
    await ds.query('ALTER TABLE processed_events DROP CONSTRAINT test_poison');
  });
});
