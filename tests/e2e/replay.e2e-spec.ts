import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { QueueName } from '@rp/queue';
import type { ReplayReport } from '@rp/replay';
import { createKafka } from '@rp/kafka';
import {
  isolatedEnv,
  LAUNCHER,
  projectionChecksum,
  runCli,
  startApp,
  waitFor,
  type AppProcess,
} from '../support';
import { configOf, openDb } from './api/api-fixtures';

const DEALER = 'demo-dealer';

/**
 * The live pipeline (all roles, a webhook subscriber) runs on a simulated history; replays of the same
 * topics then run beside it through the CLI — one uninterrupted, one killed (-9) and resumed.
 */
describe('replay beside the live pipeline', () => {
  const env = isolatedEnv({
    ROLES: 'ingest,followups,api',
    RISK_ALLOWED_LATENESS_MS: '0',
    RISK_QUIET_MS: '1000',
    ALERT_ALLOW_HTTP: 'true',
    ALERT_ALLOW_PRIVATE_TARGETS: 'true',
  });
  const config = configOf(env);
  const schema = config.database.schema;
  const sim = [
    '--seed',
    '5',
    '--machines',
    '40',
    '--start',
    '2025-01-01',
    '--months',
    '12',
    '--history-months',
    '12',
    '--snapshot-days',
    '7',
  ];
  let app: AppProcess;
  let ds: DataSource;
  let receiver: Server;
  let webhookCalls = 0;
  let produced = 0;

  const count = async (sql: string) => Number((await ds.query<{ n: string }[]>(sql))[0].n);
  const decisions = (s: string) =>
    ds.query(
      `SELECT decision_id, reason_code, priority::text, detected_at FROM ${s}.decisions ORDER BY decision_id`,
    );
  const offsets = async () => {
    const admin = createKafka(config.kafka).admin();
    await admin.connect();
    const topics = [
      config.topics.decisions,
      config.topics.outcomes,
      `${config.topics.telematics}.dlq`,
      `${config.topics.service}.dlq`,
    ];
    const out = await Promise.all(
      topics.map(async (t) => (await admin.fetchTopicOffsets(t)).map((p) => `${t}:${p.partition}:${p.high}`)),
    );
    await admin.disconnect();
    return out.flat().sort();
  };
  const jobCounts = async () => {
    const out: Record<string, number> = {};
    for (const name of [QueueName.Followups, QueueName.Alerts]) {
      const q = new Queue(name, { connection: { url: config.redis.url }, prefix: config.redis.queuePrefix });
      out[name] = Object.values(await q.getJobCounts()).reduce((a, b) => a + b, 0);
      await q.close();
    }
    return out;
  };

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      webhookCalls++;
      req.resume();
      res.writeHead(200).end();
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as { port: number }).port;
    expect((await runCli(['migrate'], env)).code).toBe(0);
    expect((await runCli(['topics'], env)).code).toBe(0);
    const hook = await runCli(
      [
        'webhooks',
        'add',
        '--dealer',
        DEALER,
        '--url',
        `http://127.0.0.1:${port}/hook`,
        '--secret',
        'replay-e2e-secret-123',
      ],
      env,
    );
    expect(hook.code).toBe(0);
    const simulated = await runCli(
      ['simulate', '--kafka', ...sim, '--labels', `/tmp/${schema}-labels.json`],
      env,
    );
    expect(simulated.code).toBe(0);
    produced = Number(/([\d,]+) events/.exec(simulated.output)![1].replace(/,/g, ''));
    // The history is in Kafka before the pipeline starts (a dealer's go-live backfill): live equals a
    // replay when events arrive within the allowed lateness of each other (README, "Replay").
    app = await startApp(env);
    ds = await openDb(config);
    await waitFor(
      'live to apply the history',
      async () => (await count(`SELECT count(*) AS n FROM ${schema}.processed_events`)) >= produced,
      240_000,
      1000,
    );
    let last = '';
    await waitFor(
      'live tasks and alerts to settle',
      async () => {
        const now = JSON.stringify([
          await count(`SELECT count(*) AS n FROM ${schema}.decisions`),
          await count(`SELECT count(*) AS n FROM ${schema}.tasks`),
          await count(`SELECT count(*) AS n FROM ${schema}.outbox WHERE dispatched_at IS NULL`),
          webhookCalls,
        ]);
        const settled = now === last;
        last = now;
        // Caught up and quiet, time follows the wall clock, up to RISK_MAX_QUIET_ADVANCE_MS (7 days) past the
        // newest event read: nothing due by then may be left.
        const due = await count(
          `SELECT count(*) AS n FROM ${schema}.risk_timers
            WHERE due_at <= LEAST(now(), (SELECT max(max_event_at) FROM ${schema}.stream_watermarks) + interval '7 days')`,
        );
        return settled && due === 0 && (await count(`SELECT count(*) AS n FROM ${schema}.tasks`)) > 0;
      },
      240_000,
      3000,
    );
  });

  afterAll(async () => {
    await app?.stop();
    for (const s of ['replay_e2e', 'replay_e2ek']) await ds?.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await ds?.destroy();
    receiver?.close();
  });

  it('a replay decides exactly as live did and produces no job, webhook, outcome or publication', async () => {
    const before = {
      projections: await projectionChecksum(ds, schema),
      tasks: await ds.query(`SELECT task_id, status, priority::text FROM ${schema}.tasks ORDER BY task_id`),
      jobs: await jobCounts(),
      offsets: await offsets(),
      webhookCalls,
    };
    const json = `/tmp/${schema}-replay.json`;
    const r = await runCli(['replay', '--name', 'e2e', '--json', json], env);
    expect(r.code).toBe(0);
    expect(r.output).toContain('vs live:    identical');
    const report = JSON.parse(readFileSync(json, 'utf8')) as ReplayReport;
    expect(report.events.planned).toBe(produced);
    expect(report.live).toMatchObject({ changed: 0, onlyLive: 0, onlyReplay: 0 });
    expect(report.live!.same).toBeGreaterThan(0);

    await new Promise((r2) => setTimeout(r2, 3000)); // anything the replay had queued would show by now
    expect(await projectionChecksum(ds, schema)).toEqual(before.projections);
    expect(
      await ds.query(`SELECT task_id, status, priority::text FROM ${schema}.tasks ORDER BY task_id`),
    ).toEqual(before.tasks);
    expect(await jobCounts()).toEqual(before.jobs);
    expect(await offsets()).toEqual(before.offsets);
    expect(webhookCalls).toBe(before.webhookCalls);
  });

  it('a replay killed with SIGKILL resumes and ends with the same decisions', async () => {
    const child = spawn(LAUNCHER, ['replay', '--name', 'e2ek'], {
      env: { ...process.env, ...env },
    });
    const exited = new Promise<number | null>((r) =>
      child.on('exit', (code, signal) => r(signal ? -1 : code)),
    );
    await waitFor(
      'the replay to be a third through',
      async () => (await count(`SELECT count(*) AS n FROM replay_e2ek.processed_events`)) > produced / 3,
      120_000,
      100,
    );
    child.kill('SIGKILL');
    expect(await exited).toBe(-1);
    const partial = await count(`SELECT count(*) AS n FROM replay_e2ek.processed_events`);
    expect(partial).toBeLessThan(produced);

    const resumed = await runCli(['replay', '--name', 'e2ek'], env);
    expect(resumed.code).toBe(0);
    expect(resumed.output).toContain('resumed 1×');
    expect(await count(`SELECT count(*) AS n FROM replay_e2ek.processed_events`)).toBe(produced);
    expect(await decisions('replay_e2ek')).toEqual(await decisions('replay_e2e'));
  });
});
