import { createDataSource } from '@rp/database';
import { dlqTopic } from '@rp/config';
import {
  createIngestHandler,
  DEFAULT_VALUE_SETTINGS,
  loadRiskState,
  RiskRuntime,
  snapshotEvaluationAt,
  type BatchContext,
  type RiskStepOptions,
} from '@rp/ingest';
import { createLogger, Metrics } from '@rp/observability';
import { DEFAULT_RULE_SET } from '@rp/risk';
import { ev, testConfig, useMigratedSchema, type Ev } from '../../support';

/**
 * A producer whose clock runs ahead (accepted up to INGEST_MAX_FUTURE_SKEW_MS) does not advance event time
 * for everyone: the progress an event records is bounded by the time it reached Kafka. Dealer d-ok's
 * warranty expired; its work order, opened 6 h before the 120-day POST_WARRANTY_NO_SERVICE instant and
 * delivered on time, cancels that decision. Dealer d-skew (another partition) sends one telematics
 * snapshot 6 h before that, stamped 20 h ahead. Live: the ingest handler, and the role's risk loop ticking
 * (quiet, Kafka read to the end) before each delivery; lateness 1 h.
 */
describe('a producer clock running ahead (real Postgres)', () => {
  const config = testConfig();
  const t = config.topics;
  const ds = createDataSource({ ...config.database, poolSize: 3 });
  const DAY = 86_400_000;
  const HOUR = 3_600_000;
  const T0 = Date.UTC(2028, 2, 1);
  const EXPIRY = Date.UTC(2029, 2, 1);
  const SKEWED_AT = EXPIRY + 119 * DAY + 12 * HOUR; // wall time of d-skew's snapshot
  const at = (ms: number) => new Date(ms).toISOString();
  type Topic = 'telematics' | 'warranty' | 'service';
  type Delivery = { wall: number; topic: Topic; partition: number; e: Ev };

  const c = { customerId: 'c-1', branchId: 'b-1' };
  const deliveries = (skewMs: number): Delivery[] => [
    {
      wall: T0 - DAY,
      topic: 'service',
      partition: 0,
      e: ev('cu', 'customer.upserted', at(T0 - DAY), { ...c, name: 'Builder' }, 'd-ok'),
    },
    {
      wall: T0,
      topic: 'warranty',
      partition: 0,
      e: ev(
        'wr',
        'warranty.registered',
        at(T0),
        { serialNumber: 'OK-1', ...c, model: 'PC200-8', startsAt: '2028-03-01', endsAt: '2029-03-01' },
        'd-ok',
      ),
    },
    {
      wall: EXPIRY,
      topic: 'warranty',
      partition: 0,
      e: ev(
        'wx',
        'warranty.expired',
        at(EXPIRY),
        { serialNumber: 'OK-1', endedAt: '2029-03-01', coverage: 'standard' },
        'd-ok',
      ),
    },
    {
      wall: SKEWED_AT,
      topic: 'telematics',
      partition: 1,
      e: ev(
        'sk-t1',
        'telematics.snapshot',
        at(SKEWED_AT + skewMs),
        { serialNumber: 'SKEW-1', cumulativeOperatingHours: 10, engineRunning: true },
        'd-skew',
      ),
    },
    {
      wall: EXPIRY + 119 * DAY + 18 * HOUR,
      topic: 'service',
      partition: 0,
      e: ev(
        'wo-o',
        'work-order.opened',
        at(EXPIRY + 119 * DAY + 18 * HOUR),
        { workOrderId: 'wo-1', ...c, serialNumber: 'OK-1', kind: 'maintenance' },
        'd-ok',
      ),
    },
    {
      wall: EXPIRY + 119 * DAY + 20 * HOUR,
      topic: 'service',
      partition: 0,
      e: ev(
        'wo-c',
        'work-order.closed',
        at(EXPIRY + 119 * DAY + 20 * HOUR),
        {
          workOrderId: 'wo-1',
          ...c,
          serialNumber: 'OK-1',
          kind: 'maintenance',
          laborAmount: 900,
          partsAmount: 400,
          currency: 'EUR',
        },
        'd-ok',
      ),
    },
  ];

  useMigratedSchema(ds, config.database.schema);

  beforeEach(async () => {
    const tables = await ds.query<{ name: string }[]>(
      `SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'`,
    );
    await ds.query(`TRUNCATE ${tables.map((x) => x.name).join(', ')} CASCADE`);
  });

  /** Delivers each event at its wall time (Kafka timestamp = wall time), the loop ticking before each. */
  async function live(
    skewMs: number,
  ): Promise<{ decisions: string[][]; progress: string[][]; skewedDue: number[] }> {
    const topicOf: Record<Topic, string> = {
      telematics: t.telematics,
      warranty: t.warranty,
      service: t.service,
    };
    const step: RiskStepOptions = {
      engine: { ruleSet: DEFAULT_RULE_SET, value: DEFAULT_VALUE_SETTINGS, loadState: loadRiskState },
      topics: Object.values(topicOf),
      allowedLatenessMs: HOUR,
    };
    let wall = 0;
    const rejected: string[] = [];
    const handle = createIngestHandler({
      ds,
      metrics: new Metrics(false),
      topicKinds: { [t.telematics]: 'telematics', [t.warranty]: 'warranty', [t.service]: 'service' },
      dlqTopicOf: dlqTopic,
      risk: step,
      maxFutureSkewMs: DAY,
      now: () => new Date(wall),
      rejectedSink: (r) => {
        rejected.push(...r.map((x) => `${x.code}: ${x.reason}`));
        return Promise.resolve();
      },
    });
    const runtime = new RiskRuntime({
      ds,
      decisionsTopic: t.decisions,
      step,
      quietMs: 30_000,
      logger: createLogger('silent'),
      now: () => wall,
      readAll: () => Promise.resolve(true),
    });
    const offsets = new Map<string, number>();
    for (const d of deliveries(skewMs)) {
      wall = d.wall;
      await runtime.tick(); // quiet before this delivery: time followed the wall clock
      const key = `${d.topic}:${d.partition}`;
      const offset = offsets.get(key) ?? 0;
      offsets.set(key, offset + 1);
      const b: BatchContext = {
        topic: topicOf[d.topic],
        partition: d.partition,
        caughtUp: true,
        heartbeat: () => Promise.resolve(),
        messages: [
          {
            key: Buffer.from('k'),
            value: Buffer.from(JSON.stringify(d.e)),
            headers: {},
            offset: String(offset),
            timestamp: String(d.wall),
          },
        ],
      };
      await handle(b);
    }
    const progress = (
      await ds.query<{ kafka_partition: number; max_event_at: Date }[]>(
        'SELECT kafka_partition, max_event_at FROM stream_watermarks WHERE topic = $1 ORDER BY 1',
        [t.telematics],
      )
    ).map((r) => [String(r.kafka_partition), r.max_event_at.toISOString()]);
    const skewedDue = (
      await ds.query<{ due_at: Date }[]>(
        `SELECT due_at FROM risk_timers WHERE customer_id = '#serial:SKEW-1'`,
      )
    ).map((r) => r.due_at.getTime());
    wall = EXPIRY + 200 * DAY; // much later: everything due has fired
    for (let i = 0; i < 3; i++) await runtime.tick();
    expect(rejected).toEqual([]);
    const decisions = (
      await ds.query<{ dealer_id: string; reason_code: string; detected_at: Date }[]>(
        'SELECT dealer_id, reason_code, detected_at FROM decisions ORDER BY 1, 2',
      )
    ).map((r) => [r.dealer_id, r.reason_code, r.detected_at.toISOString()]);
    return { decisions, progress, skewedDue };
  }

  const WARRANTY_ENDING = ['d-ok', 'WARRANTY_ENDING_UNCOVERED', '2028-12-01T00:00:00.000Z'];

  it('another dealer’s +20 h clock does not fire d-ok’s absence timer before its work order is read', async () => {
    const r = await live(20 * HOUR);
    // the skewed snapshot advanced its partition only to the time it reached Kafka
    expect(r.progress).toEqual([['1', at(SKEWED_AT)]]);
    expect(r.decisions).toEqual([WARRANTY_ENDING]);
  });

  it('the same decisions as with a correct clock', async () => {
    const r = await live(0);
    expect(r.progress).toEqual([['1', at(SKEWED_AT)]]);
    expect(r.decisions).toEqual([WARRANTY_ENDING]);
  });

  it('the skewed event itself is still evaluated at its own (stamped) instant', async () => {
    const r = await live(20 * HOUR);
    expect(r.skewedDue).toEqual([snapshotEvaluationAt('d-skew', SKEWED_AT + 20 * HOUR, DAY)]);
  });
});
