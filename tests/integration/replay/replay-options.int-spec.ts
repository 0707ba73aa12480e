import { DEFAULT_RULE_SET, type RuleSet } from '@rp/risk';
import { createDataSource } from '@rp/database';
import { createLogger } from '@rp/observability';
import {
  buildReplayReport,
  ReplayJob,
  ReplayOptionError,
  silentProgress,
  type Position,
  type ProgressSink,
  type ReplayParams,
} from '@rp/replay';
import type { TopicKind } from '@rp/contracts';
import {
  countProcessed,
  fleetHistory,
  ingestHarness,
  produceEvents,
  testConfig,
  waitFor,
  type IngestHarness,
} from '../../support';

/** What a replay does with the options it is given: a changed plan, offsets as --from, an empty plan. */
describe('replay options', () => {
  const config = testConfig({ RISK_ALLOWED_LATENESS_MS: '0' });
  const logger = createLogger('silent');
  const history = fleetHistory(12, 40);
  let live: IngestHarness;
  let liveSchema: string;
  const schemas: string[] = [];

  const job = (name: string, p: Partial<ReplayParams> = {}, progress: ProgressSink = silentProgress) => {
    schemas.push(`replay_${name}`);
    return new ReplayJob(
      { config, kafka: live.kafka, logger, progress },
      {
        name,
        kinds: ['telematics', 'warranty', 'service'] as TopicKind[],
        from: { kind: 'beginning' },
        to: { kind: 'end' },
        ruleSet: DEFAULT_RULE_SET,
        ...p,
      },
    );
  };
  const schemaExists = async (s: string) =>
    (await live.ds.query<unknown[]>('SELECT 1 FROM pg_namespace WHERE nspname = $1', [s])).length > 0;

  beforeAll(async () => {
    live = await ingestHarness(config, { ruleSet: DEFAULT_RULE_SET, allowedLatenessMs: 0 });
    liveSchema = config.database.schema;
    await produceEvents(live.producer, config.topics, history);
    await live.startConsumer();
    await waitFor(
      'live to apply the history',
      async () => (await countProcessed(live.ds, liveSchema)) >= history.length,
      120_000,
      500,
    );
    let last = -1;
    await waitFor(
      'live decisions to settle',
      async () => {
        const [{ n }] = await live.ds.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM ${liveSchema}.decisions`,
        );
        const settled = n === last;
        last = n;
        return settled && n > 0;
      },
      120_000,
      2_000,
    );
  });

  afterAll(async () => {
    for (const s of schemas) await live.ds.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await live.close();
  });

  it('compares with live from the earliest event time read when --from is given as offsets', async () => {
    const admin = live.kafka.admin();
    await admin.connect();
    const offsets: Record<string, string> = {};
    // The last 3 snapshots of each telematics partition (a machine's last weeks): the earliest event
    // read is months after the history began.
    for (const p of await admin.fetchTopicOffsets(config.topics.telematics)) {
      offsets[`${config.topics.telematics}:${p.partition}`] = (BigInt(p.high) - 3n).toString();
    }
    await admin.disconnect();
    const from: Position = { kind: 'offsets', offsets };
    const out = await job('opt_offsets', { kinds: ['telematics'], from }).run();
    expect(out.run.status).toBe('complete');

    const ds = createDataSource({ ...config.database, schema: 'replay_opt_offsets', poolSize: 1 });
    await ds.initialize();
    const report = await buildReplayReport(ds, out.run, liveSchema, 0).finally(() => ds.destroy());
    const [{ first }] = await live.ds.query<{ first: Date }[]>(
      'SELECT min(occurred_at) AS first FROM replay_opt_offsets.processed_events',
    );
    expect(report.period.from).toBe(new Date(first).toISOString());
    const count = async (where: string, params: unknown[]) =>
      (
        await live.ds.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM ${liveSchema}.decisions WHERE ${where}`,
          params,
        )
      )[0].n;
    // Live decided before the replay's first event: those are out of its reach, not "only live".
    expect(await count('detected_at < $1', [report.period.from])).toBeGreaterThan(0);
    const inPeriod = await count('detected_at >= $1 AND detected_at <= $2', [
      report.period.from,
      report.period.to,
    ]);
    expect(report.live?.total).toBe(inPeriod);
  });

  it('refuses to resume with other topics, positions or rule-set content, naming what differs', async () => {
    const started: { job?: ReplayJob } = {};
    const stopAtOnce: ProgressSink = {
      start: () => void started.job?.stop(),
      update: () => undefined,
      stop: () => undefined,
    };
    const j = (started.job = job('opt_resume', { kinds: ['telematics'] }, stopAtOnce));
    const cut = await j.run();
    expect(cut.interrupted).toBe(true);

    const other = job('opt_resume', {
      kinds: ['warranty'],
      from: { kind: 'timestamp', ms: Date.UTC(2025, 1, 1) },
      to: { kind: 'timestamp', ms: Date.UTC(2025, 5, 1) },
    });
    await expect(other.run()).rejects.toThrow(ReplayOptionError);
    await expect(
      job('opt_resume', {
        kinds: ['warranty'],
        from: { kind: 'timestamp', ms: Date.UTC(2025, 1, 1) },
        to: { kind: 'timestamp', ms: Date.UTC(2025, 5, 1) },
      }).run(),
    ).rejects.toThrow(
      'replay "opt_resume" was started with --topics telematics (now warranty); ' +
        '--from beginning (now 2025-02-01T00:00:00.000Z); --to end (now 2025-06-01T00:00:00.000Z). ' +
        'Run it with the options it was started with, drop it first (replay --drop --name opt_resume), ' +
        'or choose another --name (--name <new>)',
    );
    // Same id@version, an edited threshold: the content differs.
    const edited: RuleSet = {
      ...DEFAULT_RULE_SET,
      disabled: [...(DEFAULT_RULE_SET.disabled ?? []), 'PURCHASE_GAP'],
    };
    await expect(
      job('opt_resume', { kinds: ['telematics'], ruleSet: edited, ruleSetChosen: true }).run(),
    ).rejects.toThrow(/same id@version but different content/);
    expect(await countProcessed(live.ds, 'replay_opt_resume')).toBe(0);

    const resumed = await job('opt_resume', { kinds: ['telematics'] }).run();
    expect(resumed.resumed).toBe(true);
    expect(resumed.run.status).toBe('complete');
    expect(resumed.run.topics).toEqual([config.topics.telematics]);
  });

  it('refuses a plan that selects no event and leaves no schema behind', async () => {
    const early = job('opt_empty', { to: { kind: 'timestamp', ms: Date.UTC(2020, 0, 1) } });
    await expect(early.run()).rejects.toThrow(ReplayOptionError);
    await expect(
      job('opt_empty', { to: { kind: 'timestamp', ms: Date.UTC(2020, 0, 1) } }).run(),
    ).rejects.toThrow(
      /^nothing to replay: --from beginning --to 2020-01-01T00:00:00.000Z selects no event of telematics, warranty, service/,
    );
    expect(await schemaExists('replay_opt_empty')).toBe(false);
  });
});
