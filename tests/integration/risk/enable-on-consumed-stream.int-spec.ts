import type { Admin } from 'kafkajs';
import { topicSpecs } from '@rp/kafka';
import { createLogger, HealthRegistry, Metrics } from '@rp/observability';
import { IngestRoleModule } from '../../../apps/retention/src/roles/ingest-role.module';
import { ev, ingestHarness, produceEvents, testConfig, waitFor } from '../../support';

const MIN = 60_000;
const DAY = 86_400_000;

/**
 * Detection switched on (RISK_ENABLED false → true, or an upgrade adding its tables) for a stream the group
 * has already read: no batch comes for those partitions until new traffic lands in them, so the role must
 * register them as caught up, not as "not read yet" (which holds the clock at -infinity: nothing fires).
 */
describe('risk switched on for an already consumed stream (real Kafka, ingest role)', () => {
  const config = testConfig({ RISK_ENABLED: 'true', RISK_ALLOWED_LATENESS_MS: '0' });
  let admin: Admin;
  afterAll(async () => {
    await admin
      ?.deleteTopics({ topics: topicSpecs(config.topics).map((s) => s.topic) })
      .catch(() => undefined);
    await admin?.deleteGroups([config.kafka.groupId]).catch(() => undefined);
    await admin?.disconnect();
  });

  it('registers the partitions the group has read as caught up, and decides a new DETRACTOR live', async () => {
    const t = config.topics;
    const iso = (ms: number) => new Date(ms).toISOString();
    const now = Date.now();
    // 1. Risk off: the history is consumed by the group.
    const off = await ingestHarness(config, {});
    admin = off.kafka.admin();
    await admin.connect();
    const history = [
      ...Array.from({ length: 30 }, (_, i) =>
        ev(`cu${i}`, 'customer.upserted', iso(now - 3 * DAY), {
          customerId: `c${i}`,
          name: 'C',
          branchId: 'b1',
        }),
      ),
      ...Array.from({ length: 30 }, (_, i) =>
        ev(`wr${i}`, 'warranty.registered', iso(now - 2 * DAY), {
          serialNumber: `S${i}`,
          customerId: `c${i}`,
          branchId: 'b1',
          model: 'PC200-8',
          startsAt: iso(now - 2 * DAY).slice(0, 10),
          endsAt: iso(now + 300 * DAY).slice(0, 10),
        }),
      ),
    ];
    await produceEvents(off.producer, t, history);
    const c1 = await off.startConsumer();
    const processed = async () =>
      (await off.ds.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM processed_events`))[0].n;
    await waitFor('history applied', async () => (await processed()) === 60, 60_000);
    await c1.stop();

    // 2. Risk on: the role starts on the same group and schema; one detractor survey arrives.
    await produceEvents(off.producer, t, [
      ev('sv', 'survey.responded', iso(now - 10 * MIN), { surveyId: 'sv1', customerId: 'c1', nps: 2 }),
    ]);
    const role = new IngestRoleModule(
      config,
      admin,
      off.kafka,
      off.ds,
      createLogger('silent', {}),
      new Metrics(false),
      new HealthRegistry(),
    );
    try {
      await role.onApplicationBootstrap();
      await waitFor(
        'DETRACTOR decided',
        async () =>
          (await off.ds.query(`SELECT count(*)::int AS n FROM decisions WHERE reason_code = 'DETRACTOR'`))[0]
            .n === 1,
        20_000,
      );
      expect(await processed()).toBe(61);
      const rows = await off.ds.query<{ n: number; caught_up: number }[]>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE caught_up)::int AS caught_up FROM stream_watermarks`,
      );
      expect(rows).toEqual([{ n: 9, caught_up: 9 }]); // 3 topics × 3 partitions
    } finally {
      await role.beforeApplicationShutdown();
      await off.close();
    }
  });
});
