import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@rp/database';
import { createKafka } from '@rp/kafka';
import {
  countProcessed,
  fleetHistory,
  isolatedEnv,
  produceEvents,
  projectionChecksum,
  runCli,
  startApp,
  testConfig,
  waitFor,
  type AppProcess,
} from '../support';

/**
 * Ingest processes (the built app, ROLES=ingest) on one shared set of topics, each run into its own
 * schema and consumer group. Events arrive in phases, so every kill lands while the stream still flows.
 */
describe('ingest crash safety and scale-out', () => {
  const shared = isolatedEnv({ ROLES: 'ingest', LOG_LEVEL: 'warn', TOPIC_PARTITIONS: '4' });
  const config = testConfig(shared);
  const events = fleetHistory(250, 52);
  const redelivered = events.filter((_, i) => i % 10 === 0); // duplicates an at-least-once producer sends
  const stream = [...events, ...redelivered];
  const phases = [stream.slice(0, 6000), stream.slice(6000, 12000), stream.slice(12000)];
  const distinct = events.length;
  let ds: DataSource;
  let producer: Producer;
  let produced = 0;
  const apps: AppProcess[] = [];
  const envFor = (run: string) => ({
    ...shared,
    DATABASE_SCHEMA: `${shared.DATABASE_SCHEMA}_${run}`,
    KAFKA_GROUP_ID: `${shared.KAFKA_GROUP_ID}-${run}`,
  });
  const start = async (run: string) => {
    const app = await startApp(envFor(run));
    apps.push(app);
    return app;
  };
  const processed = (run: string) => countProcessed(ds, envFor(run).DATABASE_SCHEMA);
  const done = (run: string) =>
    waitFor(
      `${run}: all ${distinct} events applied`,
      async () => (await processed(run)) === distinct,
      240_000,
      500,
    );
  const produceUpTo = async (phase: number) => {
    while (produced <= phase) await produceEvents(producer, config.topics, phases[produced++]);
  };
  const members = async (run: string) => {
    const admin = createKafka(config.kafka).admin();
    await admin.connect();
    const { groups } = await admin.describeGroups([envFor(run).KAFKA_GROUP_ID]);
    await admin.disconnect();
    return groups[0].state === 'Stable' ? groups[0].members.length : 0;
  };

  beforeAll(async () => {
    expect((await runCli(['topics'], shared)).code).toBe(0);
    producer = createKafka(config.kafka).producer();
    await producer.connect();
    ds = createDataSource({ ...config.database, schema: 'public' });
    await ds.initialize();
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    await producer.disconnect();
    for (const run of ['reference', 'crash', 'group']) {
      await ds.query(`DROP SCHEMA IF EXISTS ${envFor(run).DATABASE_SCHEMA} CASCADE`);
    }
    await ds.destroy();
  });

  it('two consumers in one group, one killed: the survivor takes over its partitions', async () => {
    await produceUpTo(0);
    const a = await start('group');
    const b = await start('group');
    await waitFor('both members in the group', async () => (await members('group')) === 2, 60_000, 250);
    b.child.kill('SIGKILL');
    await b.stop();
    await produceUpTo(1); // arrives on every partition, including the dead member's
    await waitFor('survivor alone in the group', async () => (await members('group')) === 1, 60_000, 250);
    await waitFor('phases 0 and 1 applied', async () => (await processed('group')) >= 10_000, 120_000, 250);
    expect(a.child.exitCode).toBeNull();
  });

  it('kill -9 mid-stream, restart: every event applied once (processed = distinct events)', async () => {
    const first = await start('crash');
    await waitFor('some progress', async () => (await processed('crash')) >= 1000, 60_000, 20);
    first.child.kill('SIGKILL');
    await first.stop();
    expect(await processed('crash')).toBeLessThan(distinct);
    await start('crash');
    await produceUpTo(2);
    await done('crash');
  });

  it('crash run, group run and an uninterrupted single consumer end in the same state', async () => {
    const app = await start('reference');
    await done('reference');
    await app.stop();
    await done('group');
    const reference = await projectionChecksum(ds, envFor('reference').DATABASE_SCHEMA);
    expect(reference.timeline).toMatch(new RegExp(`^${distinct}:`));
    expect(reference.telematics_readings).toMatch(
      new RegExp(`^${events.filter((e) => e.type === 'telematics.snapshot').length}:`),
    );
    expect(await projectionChecksum(ds, envFor('crash').DATABASE_SCHEMA)).toEqual(reference);
    expect(await projectionChecksum(ds, envFor('group').DATABASE_SCHEMA)).toEqual(reference);
  });
});
