import type { DataSource } from 'typeorm';
import { DEFAULT_RULE_SET, type ReasonCode } from '@rp/risk';
import { createDataSource } from '@rp/database';
import { createLogger } from '@rp/observability';
import {
  buildReplayReport,
  ReplayJob,
  silentProgress,
  type ProgressSink,
  type ReplayOutcome,
} from '@rp/replay';
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

interface DecisionRow {
  decision_id: string;
  reason_code: string;
  priority: string;
  detected_at: Date;
}

const decisions = (ds: DataSource, schema: string): Promise<DecisionRow[]> =>
  ds.query<DecisionRow[]>(
    `SELECT decision_id, reason_code, priority::text, detected_at FROM ${schema}.decisions ORDER BY decision_id`,
  );

/**
 * Replays on the real stack: the live ingest (with rules) consumes a fleet history, then replays read the
 * same topics into their own schemas with the same handler — compared with live and with each other.
 */
describe('replay into isolated state', () => {
  const config = testConfig({ RISK_ALLOWED_LATENESS_MS: '0', INGEST_CONCURRENCY: '2' });
  const logger = createLogger('silent');
  const history = fleetHistory(24, 70);
  const bad = { key: 'SN-x', value: '{"eventId": "broken"' }; // invalid JSON: rejected
  let live: IngestHarness;
  let liveSchema: string;
  const replays: string[] = [];

  const replay = (name: string, progress: ProgressSink = silentProgress, job?: (j: ReplayJob) => void) => {
    const j = new ReplayJob(
      { config, kafka: live.kafka, logger, progress },
      {
        name,
        kinds: ['telematics', 'warranty', 'service'],
        from: { kind: 'beginning' },
        to: { kind: 'end' },
        ruleSet: DEFAULT_RULE_SET,
      },
    );
    replays.push(`replay_${name}`);
    job?.(j);
    return j.run();
  };

  beforeAll(async () => {
    live = await ingestHarness(config, { ruleSet: DEFAULT_RULE_SET, allowedLatenessMs: 0 });
    liveSchema = config.database.schema;
    await produceEvents(live.producer, config.topics, history);
    await live.producer.send({ topic: config.topics.telematics, acks: -1, messages: [bad] });
    await live.startConsumer();
    await waitFor(
      'live to apply the history',
      async () => (await countProcessed(live.ds, liveSchema)) >= history.length,
      240_000,
      500,
    );
    // Settled: no timer due at or before the live watermark, and no decision added for a while.
    let last = -1;
    await waitFor(
      'live decisions to settle',
      async () => {
        const [{ n }] = await live.ds.query<{ n: string }[]>(
          `SELECT count(*) AS n FROM ${liveSchema}.decisions`,
        );
        const settled = Number(n) === last;
        last = Number(n);
        return settled && Number(n) > 0;
      },
      120_000,
      2_000,
    );
  });

  afterAll(async () => {
    for (const s of replays) await live.ds.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await live.close();
  });

  let first: ReplayOutcome;
  let liveBefore: Record<string, string>;
  let liveOutboxBefore: number;
  let dlqBefore: string[];

  it('replays every event into its own schema and leaves live state, the DLQ and the outbox untouched', async () => {
    liveBefore = await projectionChecksum(live.ds, liveSchema);
    [{ n: liveOutboxBefore }] = await live.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${liveSchema}.outbox`,
    );
    const admin = live.kafka.admin();
    await admin.connect();
    const dlq = async () =>
      (await admin.fetchTopicOffsets(`${config.topics.telematics}.dlq`))
        .map((p) => `${p.partition}:${p.high}`)
        .sort();
    dlqBefore = await dlq();

    first = await replay('a');
    expect(first.interrupted).toBe(false);
    expect(first.run.status).toBe('complete');
    expect(first.handled).toBe(history.length + 1);
    expect(await countProcessed(live.ds, 'replay_a')).toBe(history.length);
    expect(await projectionChecksum(live.ds, 'replay_a')).toEqual(liveBefore);
    const rejected = await live.ds.query<{ code: string }[]>('SELECT code FROM replay_a.replay_rejections');
    expect(rejected).toEqual([{ code: 'INVALID_JSON' }]);

    expect(await projectionChecksum(live.ds, liveSchema)).toEqual(liveBefore);
    const [{ n: outboxAfter }] = await live.ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${liveSchema}.outbox`,
    );
    expect(outboxAfter).toBe(liveOutboxBefore);
    expect(await dlq()).toEqual(dlqBefore);
    await admin.disconnect();
  });

  it('decides exactly as live did: same ids, reasons, priorities and detection instants', async () => {
    const liveDecisions = await decisions(live.ds, liveSchema);
    expect(liveDecisions.length).toBeGreaterThan(10);
    expect(await decisions(live.ds, 'replay_a')).toEqual(liveDecisions);
    const onReplay = createDataSource({ ...config.database, schema: 'replay_a', poolSize: 1 });
    await onReplay.initialize();
    const report = await buildReplayReport(onReplay, first.run, liveSchema, 0).finally(() =>
      onReplay.destroy(),
    );
    expect(report.live).toMatchObject({
      total: liveDecisions.length,
      same: liveDecisions.length,
      changed: 0,
      onlyLive: 0,
      onlyReplay: 0,
    });
    expect(report.events).toMatchObject({ planned: history.length + 1, rejected: 1 });
    expect(report.decisions.byReason.reduce((s, r) => s + r.count, 0)).toBe(liveDecisions.length);
  });

  it('an interrupted replay resumes where it stopped and ends with the same result', async () => {
    let job: ReplayJob | undefined;
    let stopAt = 0;
    const interrupting: ProgressSink = {
      start: (total) => (stopAt = Math.floor(total / 3)),
      update: (done) => {
        if (done >= stopAt) void job?.stop();
      },
      stop: () => undefined,
    };
    const cut = await replay('b', interrupting, (j) => (job = j));
    expect(cut.interrupted).toBe(true);
    const partial = await countProcessed(live.ds, 'replay_b');
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(history.length);

    const resumed = await replay('b');
    expect(resumed.resumed).toBe(true);
    expect(resumed.run.status).toBe('complete');
    expect(resumed.run.resumed).toBe(1);
    expect(resumed.handled).toBeLessThan(history.length);
    expect(await projectionChecksum(live.ds, 'replay_b')).toEqual(liveBefore);
    expect(await decisions(live.ds, 'replay_b')).toEqual(await decisions(live.ds, 'replay_a'));

    const again = await replay('b');
    expect(again.alreadyComplete).toBe(true);
  });

  it('a changed rule set decides differently, under its own version', async () => {
    const byReason = async (schema: string) =>
      Object.fromEntries(
        (
          await live.ds.query<{ reason_code: string; n: number }[]>(
            `SELECT reason_code, count(*)::int AS n FROM ${schema}.decisions GROUP BY 1`,
          )
        ).map((r) => [r.reason_code, r.n]),
      ) as Record<string, number>;
    const liveCounts = await byReason(liveSchema);
    const [top] = Object.entries(liveCounts).sort((a, b) => b[1] - a[1])[0] as [ReasonCode, number];
    const draft = {
      ...DEFAULT_RULE_SET,
      version: 'draft-1',
      disabled: [...(DEFAULT_RULE_SET.disabled ?? []), top],
    };
    const j = new ReplayJob(
      { config, kafka: live.kafka, logger, progress: silentProgress },
      {
        name: 'c',
        kinds: ['telematics', 'warranty', 'service'],
        from: { kind: 'beginning' },
        to: { kind: 'end' },
        ruleSet: draft,
        ruleSetChosen: true,
      },
    );
    replays.push('replay_c');
    const out = await j.run();
    expect(out.run.ruleSetVersion).toBe(`${DEFAULT_RULE_SET.id}@draft-1`);
    const { [top]: disabled, ...others } = liveCounts;
    expect(disabled).toBeGreaterThan(0);
    expect(await byReason('replay_c')).toEqual(others);
  });
});
