import { createDataSource } from '@rp/database';
import { dlqTopic } from '@rp/config';
import {
  createIngestHandler,
  DEFAULT_VALUE_SETTINGS,
  loadRiskState,
  registerPartitions,
  RiskRuntime,
  type BatchContext,
  type RiskStepOptions,
} from '@rp/ingest';
import { createLogger, Metrics } from '@rp/observability';
import { DEFAULT_RULE_SET } from '@rp/risk';
import { ev, kindOf, testConfig, useMigratedSchema, type Ev } from '../../support';

/**
 * The quiet rule follows the wall clock only while the stream is live: at most RISK_MAX_QUIET_ADVANCE_MS
 * (7 days) past the newest event read. Through the ingest handler and the role's risk loop (quiet, Kafka
 * read to the end), lateness 1 h.
 */
describe('quiet wall-clock time is bounded by the newest event (real Postgres)', () => {
  const config = testConfig();
  const t = config.topics;
  const topicOf = { telematics: t.telematics, warranty: t.warranty, service: t.service };
  const ds = createDataSource({ ...config.database, poolSize: 3 });
  const DAY = 86_400_000;
  const HOUR = 3_600_000;
  const at = (ms: number) => new Date(ms).toISOString();
  const ymd = (ms: number) => at(ms).slice(0, 10);
  const step: RiskStepOptions = {
    engine: { ruleSet: DEFAULT_RULE_SET, value: DEFAULT_VALUE_SETTINGS, loadState: loadRiskState },
    topics: Object.values(topicOf),
    allowedLatenessMs: HOUR,
  };
  const rejected: string[] = [];
  const handle = createIngestHandler({
    ds,
    metrics: new Metrics(false),
    topicKinds: { [t.telematics]: 'telematics', [t.warranty]: 'warranty', [t.service]: 'service' },
    dlqTopicOf: dlqTopic,
    risk: step,
    rejectedSink: (r) => {
      rejected.push(...r.map((x) => `${x.code}: ${x.reason}`));
      return Promise.resolve();
    },
  });
  // The role's loop a minute after the last batch: quiet (RISK_QUIET_MS 30 s) and Kafka read to the end.
  const runtime = new RiskRuntime({
    ds,
    decisionsTopic: t.decisions,
    step,
    quietMs: 30_000,
    logger: createLogger('silent'),
    now: () => Date.now() + 60_000,
    readAll: () => Promise.resolve(true),
  });

  /** A machine's life: warranty ending at `expiry`, monthly surveys; serviced 60 days after expiry or never. */
  function life(d: string, t0: number, expiry: number, serviced: boolean, months = 36): Ev[] {
    const c = { customerId: `${d}-c1`, branchId: 'b1' };
    const serial = `${d}-S1`;
    const out: Ev[] = [
      ev(`${d}-cu`, 'customer.upserted', at(t0 - DAY), { ...c, name: 'Builder' }, d),
      ev(
        `${d}-wr`,
        'warranty.registered',
        at(t0),
        { serialNumber: serial, ...c, model: 'PC200-8', startsAt: ymd(t0), endsAt: ymd(expiry) },
        d,
      ),
      ev(
        `${d}-wx`,
        'warranty.expired',
        at(expiry),
        { serialNumber: serial, endedAt: ymd(expiry), coverage: 'standard' },
        d,
      ),
    ];
    for (let m = 1; m <= months; m++) {
      out.push(
        ev(
          `${d}-sv${m}`,
          'survey.responded',
          at(t0 + m * 30 * DAY),
          { surveyId: `${d}-sv${m}`, ...c, nps: 9 },
          d,
        ),
      );
    }
    if (serviced) {
      const wo = { workOrderId: `${d}-wo1`, ...c, serialNumber: serial, kind: 'maintenance' };
      out.push(ev(`${d}-wo-o`, 'work-order.opened', at(expiry + 60 * DAY), wo, d));
      out.push(
        ev(
          `${d}-wo-c`,
          'work-order.closed',
          at(expiry + 61 * DAY),
          { ...wo, laborAmount: 900, partsAmount: 400, currency: 'EUR' },
          d,
        ),
      );
    }
    return out;
  }

  /** Reads `events` as a backlog: partition 0 of each topic in batches of 4, round-robin, Kafka timestamp now. */
  const offsets = new Map<string, number>();
  async function push(events: Ev[]): Promise<void> {
    const byTopic = new Map<string, Ev[]>();
    for (const e of events) {
      const topic = topicOf[kindOf(e.type)];
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), e]);
    }
    const queues = [...byTopic].map(([topic, es]) => ({ topic, es: [...es] }));
    while (queues.some((q) => q.es.length)) {
      for (const q of queues) {
        if (!q.es.length) continue;
        const part = q.es.splice(0, 4);
        const from = offsets.get(q.topic) ?? 0;
        offsets.set(q.topic, from + part.length);
        const b: BatchContext = {
          topic: q.topic,
          partition: 0,
          caughtUp: q.es.length === 0,
          heartbeat: () => Promise.resolve(),
          messages: part.map((e, i) => ({
            key: Buffer.from('k'),
            value: Buffer.from(JSON.stringify(e)),
            headers: {},
            offset: String(from + i),
            timestamp: String(Date.now()),
          })),
        };
        await handle(b);
      }
    }
  }

  const postWarranty = async () =>
    (
      await ds.query<{ dealer_id: string; detected_at: Date }[]>(
        `SELECT dealer_id, detected_at FROM decisions WHERE reason_code = 'POST_WARRANTY_NO_SERVICE' ORDER BY 1`,
      )
    ).map((r) => [r.dealer_id, r.detected_at.toISOString()]);

  useMigratedSchema(ds, config.database.schema);

  beforeEach(async () => {
    const tables = await ds.query<{ name: string }[]>(
      `SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'`,
    );
    await ds.query(`TRUNCATE ${tables.map((x) => x.name).join(', ')} CASCADE`);
    offsets.clear();
    rejected.length = 0;
    await registerPartitions(
      ds,
      [0, 1, 2].flatMap((p) => Object.values(topicOf).map((topic) => ({ topic, partition: p, empty: true }))),
    );
  });

  it('a history pushed in two chunks with a pause gives the decisions of the time-ordered push', async () => {
    const T0 = Date.UTC(2023, 2, 1);
    const EXPIRY = Date.UTC(2024, 2, 1);
    // dA is never serviced (one decision); dB's work order 60 days after expiry cancels it.
    const all = [...life('dA', T0, EXPIRY, false), ...life('dB', T0, EXPIRY, true)].sort(
      (x, y) => Date.parse(x.occurredAt) - Date.parse(y.occurredAt),
    );
    await push(all.filter((e) => Date.parse(e.occurredAt) <= EXPIRY + 30 * DAY));
    await runtime.tick(); // the pause: caught up and quiet for more than RISK_QUIET_MS
    await runtime.tick();
    expect(await postWarranty()).toEqual([]); // time stayed within 7 days of the history's newest event
    await push(all.filter((e) => Date.parse(e.occurredAt) > EXPIRY + 30 * DAY));
    for (let i = 0; i < 3; i++) await runtime.tick();
    expect(rejected).toEqual([]);
    expect(await postWarranty()).toEqual([['dA', '2024-06-29T00:00:00.000Z']]);
  });

  it('a quiet live system fires an absence timer on time, its newest event days old', async () => {
    const today = Math.floor(Date.now() / DAY) * DAY;
    const expiry = today - 122 * DAY; // POST_WARRANTY_NO_SERVICE is due 120 days after: 2 days ago
    const t0 = expiry - 365 * DAY;
    // monthly surveys up to 3 days ago: the newest event
    const events = life('dL', t0, expiry, false, 0);
    events.push(
      ev(
        'dL-last',
        'survey.responded',
        at(Date.now() - 3 * DAY),
        { surveyId: 'dL-last', customerId: 'dL-c1', branchId: 'b1', nps: 9 },
        'dL',
      ),
    );
    await push(events);
    await runtime.tick();
    expect(rejected).toEqual([]);
    expect(await postWarranty()).toEqual([['dL', at(expiry + 120 * DAY)]]);
  });
});
