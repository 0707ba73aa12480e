import { dlqTopic, inputTopics } from '@rp/config';
import { createDataSource, runMigrations } from '@rp/database';
import {
  BatchConsumer,
  createIngestHandler,
  DEFAULT_VALUE_SETTINGS,
  loadRiskState,
  registerPartitions,
  RiskRuntime,
  type RiskStepOptions,
} from '@rp/ingest';
import { createKafka, ensureTopics, listPartitions, topicSpecs } from '@rp/kafka';
import { createLogger, Metrics } from '@rp/observability';
import { DEFAULT_RULE_SET } from '@rp/risk';
import { ev, produceEvents, readFromBeginning, testConfig, waitFor, type Ev } from '../../support';

/**
 * A dealer whose risk round fails never holds back another dealer's decisions (ops-review finding 1): the
 * review's poison (two parts.sold with grossProfit 1e308, whose margin summed to Infinity) is now refused by
 * the contract, and a round that fails for good anyway still lets the loop publish every decision other
 * rounds recorded to retention.decisions, while problem() reports the failure for /health.
 */
describe('a risk round that keeps failing (real Postgres and Kafka)', () => {
  const config = testConfig();
  const t = config.topics;
  const logger = createLogger('silent');
  const kafka = createKafka(config.kafka, logger);
  const producer = kafka.producer();
  const ds = createDataSource({ ...config.database, poolSize: 6 });
  const DAY = 86_400_000;
  const now = Date.now();
  const at = (d: number) => new Date(now - d * DAY).toISOString();
  const step = (loadState: RiskStepOptions['engine']['loadState']): RiskStepOptions => ({
    engine: { ruleSet: DEFAULT_RULE_SET, value: DEFAULT_VALUE_SETTINGS, loadState },
    topics: inputTopics(t),
    allowedLatenessMs: 0,
  });
  let consumer: BatchConsumer;
  /** The loop the consumer's caught-up batches kick (each test starts its own). */
  let runtime: RiskRuntime | undefined;
  const loop = (s: RiskStepOptions) => {
    runtime = new RiskRuntime({
      ds,
      producer,
      decisionsTopic: t.decisions,
      step: s,
      quietMs: 1000,
      logger,
      tickMs: 200,
    });
    runtime.start();
    return runtime;
  };
  const detractor = (dealer: string, customer: string) => [
    ev(
      `${dealer}-cu`,
      'customer.upserted',
      at(30),
      { customerId: customer, name: 'N', branchId: 'b' },
      dealer,
    ),
    ev(
      `${dealer}-sv`,
      'survey.responded',
      at(2),
      { surveyId: `${dealer}-s`, customerId: customer, nps: 2 },
      dealer,
    ),
  ];
  const decisionsOf = async (expected: number) =>
    (await readFromBeginning(kafka, [t.decisions], expected, { settleMs: 1000 })).map((m) => {
      const d = JSON.parse(m.message.value!.toString()) as { dealerId: string; reasonCode: string };
      return `${d.dealerId}:${d.reasonCode}`;
    });

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, topicSpecs(t));
    await ds.initialize();
    await runMigrations(ds);
    await registerPartitions(ds, await listPartitions(admin, inputTopics(t)));
    await admin.disconnect();
    await producer.connect();
    consumer = new BatchConsumer(kafka, {
      groupId: config.kafka.groupId,
      topics: inputTopics(t),
      logger,
      handle: createIngestHandler({
        ds,
        producer,
        metrics: new Metrics(false),
        logger,
        topicKinds: { [t.telematics]: 'telematics', [t.warranty]: 'warranty', [t.service]: 'service' },
        dlqTopicOf: dlqTopic,
        risk: step(loadRiskState),
        onDue: () => runtime?.kick(),
      }),
    });
    await consumer.start();
  }, 60_000);

  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  afterAll(async () => {
    await consumer.stop();
    await producer.disconnect();
    await ds.query(`DROP SCHEMA IF EXISTS ${config.database.schema} CASCADE`);
    await ds.destroy();
  });

  it("the review's case: dp's 1e308 gross profits are dead-lettered SCHEMA_INVALID, dq's decision is published", async () => {
    const rt = loop(step(loadRiskState));
    const sale = (id: string, days: number): Ev =>
      ev(
        `dp-${id}`,
        'parts.sold',
        at(days),
        { invoiceId: id, customerId: 'cp', branchId: 'b', amount: 1, currency: 'EUR', grossProfit: 1e308 },
        'dp',
      );
    await produceEvents(producer, t, [
      ev('dp-cu', 'customer.upserted', at(60), { customerId: 'cp', name: 'P', branchId: 'b' }, 'dp'),
      sale('i1', 50),
      sale('i2', 49),
      ev('dp-sv', 'survey.responded', at(5), { surveyId: 's1', customerId: 'cp', nps: 1 }, 'dp'),
      ...detractor('dq', 'cq'),
    ]);
    const dead = await readFromBeginning(kafka, [dlqTopic(t.service)], 2, { settleMs: 500 });
    expect(
      dead
        .map((m) => [
          m.message.headers!['x-error-code']!.toString(),
          m.message.headers!['x-error-message']!.toString(),
        ])
        .sort(),
    ).toEqual([
      ['SCHEMA_INVALID', 'data.grossProfit: must lie between -1000000000000 and 1000000000000'],
      ['SCHEMA_INVALID', 'data.grossProfit: must lie between -1000000000000 and 1000000000000'],
    ]);
    expect((await decisionsOf(2)).sort()).toEqual(['dp:DETRACTOR', 'dq:DETRACTOR']);
    expect(rt.problem()).toBeUndefined();
  }, 60_000);

  it("a dealer whose rounds fail for good: another dealer's decision is published all the same, /health told", async () => {
    // dr's round fails every time (after holding its dealer a while, so the other sweeper takes ds).
    const rt = loop(
      step(async (db, dealerId, ids, opts) => {
        if (dealerId !== 'dr') return loadRiskState(db, dealerId, ids, opts);
        await new Promise((r) => setTimeout(r, 300));
        throw new Error('state of dr cannot be loaded');
      }),
    );
    await produceEvents(producer, t, [...detractor('dr', 'cr'), ...detractor('ds', 'cs')]);
    expect((await decisionsOf(3)).sort()).toEqual(['dp:DETRACTOR', 'dq:DETRACTOR', 'ds:DETRACTOR']);
    const problem = await waitFor('the risk problem', () => rt.problem(), 20_000);
    expect(problem).toMatch(
      /^risk sweep failed \d+ ticks in a row for \d+ ms: state of dr cannot be loaded$/,
    );
    const [{ n }] = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM risk_timers WHERE dealer_id = 'dr' AND due_at <= now()`,
    );
    expect(n).toBeGreaterThan(0); // still due: dr is retried (with back-off), never skipped silently
  }, 60_000);
});
