/**
 * `npm run bench:latency [-- --seconds S] [--probes P] [--rate R] [--machines M] [--calibrate N] [--split] [--no-build]
 *  [--cpu-prof DIR] [--app-log FILE]`
 *
 * Event-to-task latency of the running app (roles ingest + followups in one process, or one process per
 * role with --split; built with `nest build`) under a steady background load at half the ingest maximum.
 * The maximum is measured first in the same run (a burst of N background events, from the first send until
 * all are applied and every evaluation they made due has fired), unless --rate gives it. Then, while the
 * background stream runs, P detractor surveys (NPS 2) of customers registered earlier are produced at known
 * wall times spread over S seconds; each fires DETRACTOR at its own event instant. Latency = the commit
 * time of the transaction that applied the probe's decision (pg_xact_commit_timestamp; same host clock) minus
 * the wall time just before the survey was sent. Postgres stamps that time on the commit record before
 * flushing it, so the flush itself (well under a millisecond on an idle disk) is the only part of making
 * the task visible it leaves out. (Until 2026-11-23 it was the task row's created_at, the start of that
 * transaction: it left out the transaction's lock waits and its commit.) Fresh topics, schema, consumer group and
 * queue prefix; all removed at the end. The last line is `task_latency_p50_ms=… task_latency_p99_ms=…`.
 *
 * Setting used: RISK_ALLOWED_LATENESS_MS=0. Timers fire once the event-time watermark passes them and the
 * watermark trails the stream by the allowed lateness (default 1 h): with the default a live survey would
 * fire an hour later by design. With 0, it fires as soon as every partition still behind has read past it.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { loadConfig } from '@rp/config';
import { createKafka, ensureTopics, topicSpecs } from '@rp/kafka';
import { decisionJobId } from '@rp/followups';
import { timersDueBy } from '@rp/ingest';
import { createRedis, QueueName } from '@rp/queue';
import { log, numberFlag } from './cli';
import { buildApp, startApp, type RunningApp } from './latency/app';
import { sendAll, SteadyLoad } from './latency/load';
import { percentile } from './latency/stats';
import { BenchFleet, Probes } from './latency/stream';

const ROOT = resolve(__dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
/** A timestamptz column as epoch milliseconds. */
const ms = (col: string) => `(extract(epoch FROM ${col}) * 1000)::float8`;

/** The app's event-loop delay over the run (prom-client's default metrics, never scraped before). */
async function eventLoopLag(url: string): Promise<string> {
  const text = await fetch(`${url}/metrics`).then(
    (r) => r.text(),
    () => '',
  );
  const value = (name: string) => {
    const m = new RegExp(`^rp_nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(
      text,
    );
    return m ? `${Math.round(Number(m[1]) * 1000)} ms` : '?';
  };
  return `delay p50 ${value('p50')}, p99 ${value('p99')}, max ${value('max')}`;
}

function stringFlag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  if (!argv[i + 1] || argv[i + 1].startsWith('--')) throw new Error(`${name} needs a value`);
  return argv[i + 1];
}

function parseArgs(argv: string[]) {
  const value = (name: string, fallback: number | undefined) =>
    fallback === undefined && !argv.includes(name) ? undefined : numberFlag(argv, name, fallback ?? 0, false);
  return {
    seconds: value('--seconds', 60)!,
    probes: Math.round(value('--probes', 60)!),
    rate: value('--rate', undefined),
    machines: Math.round(value('--machines', 2000)!),
    calibrate: Math.round(value('--calibrate', 10_000)!),
    partitions: Math.round(value('--partitions', 6)!),
    build: !argv.includes('--no-build'),
    split: argv.includes('--split'),
    cpuProf: stringFlag(argv, '--cpu-prof'),
    appLog: stringFlag(argv, '--app-log'),
  };
}

function ensureStack(): void {
  const status = spawnSync('bash', [resolve(ROOT, 'scripts/stack.sh'), 'status'], { encoding: 'utf8' });
  if (status.status === 0) return log('stack: up (Kafka, Postgres, Redis)');
  log('stack: not running, starting it');
  const up = spawnSync('bash', [resolve(ROOT, 'scripts/stack.sh'), 'up'], { stdio: 'inherit' });
  if (up.status !== 0) throw new Error('scripts/stack.sh up failed');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  ensureStack();
  if (args.build) {
    log('building the app (nest build into .cache/bench-latency/dist) …');
    buildApp();
  }
  const s = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const env: Record<string, string> = {
    LOG_LEVEL: 'warn',
    TOPIC_TELEMATICS: `bench.lat.telematics.${s}`,
    TOPIC_WARRANTY: `bench.lat.warranty.${s}`,
    TOPIC_SERVICE: `bench.lat.service.${s}`,
    TOPIC_DECISIONS: `bench.lat.decisions.${s}`,
    TOPIC_OUTCOMES: `bench.lat.outcomes.${s}`,
    TOPIC_PARTITIONS: String(args.partitions),
    DATABASE_SCHEMA: `bench_lat_${s}`,
    KAFKA_GROUP_ID: `bench-lat-${s}`,
    KAFKA_CLIENT_ID: `bench-lat-${s}`,
    QUEUE_PREFIX: `bl${s}`,
    RISK_ALLOWED_LATENESS_MS: '0',
  };
  const config = loadConfig({ ...process.env, ...env });
  const t = config.topics;
  const topics = { telematics: t.telematics, warranty: t.warranty, service: t.service };
  const kafka = createKafka(config.kafka);
  const admin = kafka.admin();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const pg = new Client({ connectionString: config.database.url });
  const specs = topicSpecs(t);
  const apps: RunningApp[] = [];

  const cleanup = async () => {
    await Promise.all(apps.map((a) => a.stop().catch(() => undefined)));
    await producer.disconnect().catch(() => undefined);
    await pg.query(`DROP SCHEMA IF EXISTS "${env.DATABASE_SCHEMA}" CASCADE`).catch(() => undefined);
    await pg.end().catch(() => undefined);
    await admin.deleteGroups([env.KAFKA_GROUP_ID]).catch(() => undefined);
    await admin.deleteTopics({ topics: specs.map((x) => x.topic) }).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    const redis = createRedis(config.redis.url);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${env.QUEUE_PREFIX}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
    log(`cleanup: schema, ${specs.length} topics, consumer group and queue keys removed`);
  };

  try {
    await admin.connect();
    await ensureTopics(admin, specs);
    await producer.connect();
    await pg.connect();
    log(`topics: ${specs.length} created (${args.partitions} partitions each), suffix ${s}`);
    // One process with both roles (a small dealer), or with --split one process per role.
    for (const roles of args.split ? ['ingest', 'followups'] : ['ingest,followups']) {
      const prof = args.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', resolve(args.cpuProf)] : [];
      const app = await startApp({ ...env, ROLES: roles }, prof);
      apps.push(app);
      log(`app: serve (roles ${roles}) pid ${app.pid}, RISK_ALLOWED_LATENESS_MS=0`);
    }
    await pg.query(`SET search_path TO "${env.DATABASE_SCHEMA}"`);
    const processed = async () =>
      Number((await pg.query<{ n: string }>('SELECT count(*) AS n FROM processed_events')).rows[0].n);
    const waitProcessed = async (n: number, what: string, timeoutMs = 300_000) => {
      const deadline = Date.now() + timeoutMs;
      while ((await processed()) < n) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(50);
      }
      return Date.now();
    };

    const waitEvaluated = async (uptoMs: number, timeoutMs = 300_000) => {
      const deadline = Date.now() + timeoutMs;
      const due = () =>
        timersDueBy({ query: async <T>(sql: string) => (await pg.query(sql)).rows as T }, uptoMs);
      while (await due()) {
        if (Date.now() > deadline)
          throw new Error('timed out waiting for the calibration burst to be evaluated');
        await sleep(50);
      }
      return Date.now();
    };

    const fleet = new BenchFleet(args.machines, s);
    const probes = new Probes(args.probes, s);
    const master = [...fleet.registrations(Date.now()), ...probes.registrations(Date.now())];
    await sendAll(producer, topics, master);
    await waitProcessed(master.length, 'master data');
    log(
      `master data: ${fmt(master.length)} events (${fmt(args.machines)} machines, ${args.probes} probe customers)`,
    );

    let max = args.rate;
    if (max === undefined) {
      const before = await processed();
      const started = Date.now();
      const burst = Array.from({ length: args.calibrate }, () => fleet.next(Date.now()));
      const lastAt = Date.now();
      for (let i = 0; i < burst.length; i += 1000) await sendAll(producer, topics, burst.slice(i, i + 1000));
      const applied = await waitProcessed(before + burst.length, 'the calibration burst');
      // Processed = applied and evaluated: every evaluation the burst made due up to its last event has
      // fired (a maximum that left the detection behind would load the pipeline past what it sustains).
      const done = await waitEvaluated(lastAt);
      max = burst.length / ((done - started) / 1000);
      const secs = (t: number) => ((t - started) / 1000).toFixed(1);
      log(
        `ingest maximum (rules on): ${fmt(burst.length)} events applied in ${secs(applied)} s and evaluated in ${secs(done)} s = ${fmt(max)} events/s`,
      );
    } else log(`ingest maximum given: ${fmt(max)} events/s`);
    const rate = max / 2;

    const base = await processed();
    const load = new SteadyLoad(producer, topics, (at) => fleet.next(at), rate);
    load.start();
    log(`background load: ${fmt(rate)} events/s (half the maximum); warming up 5 s …`);
    await sleep(5_000);
    const sentAt: number[] = [];
    const every = (args.seconds * 1000) / args.probes;
    const window0 = Date.now();
    for (let i = 0; i < args.probes; i++) {
      await sleep(Math.max(0, window0 + i * every - Date.now()));
      const at = Date.now();
      sentAt[i] = at;
      await sendAll(producer, topics, [probes.survey(i, at)]);
    }
    const ids = Array.from({ length: args.probes }, (_, i) => probes.customerId(i));
    const tasks = async () =>
      (
        await pg.query<{
          customer_id: string;
          dealer_id: string;
          decision_id: string;
          created: string;
          committed: string | null;
          recorded: string;
          picked: string;
        }>(
          // committed: the commit time of the transaction that applied the probe's decision (its
          // task_decisions row, never updated): stamped on the commit record just before its flush, which is
          // all of making the task visible it leaves out (track_commit_timestamp, set by scripts/stack.sh).
          `SELECT t.customer_id, t.dealer_id, td.decision_id, ${ms('t.created_at')} AS created,
                  ${ms('pg_xact_commit_timestamp(td.xmin)')} AS committed,
                  ${ms('o.created_at')} AS recorded, ${ms('o.dispatched_at')} AS picked
             FROM tasks t JOIN task_decisions td USING (dealer_id, task_id)
             JOIN outbox o ON o.kind = 'decision' AND o.dealer_id = td.dealer_id AND o.dedup_key = td.decision_id
            WHERE t.customer_id = ANY($1::text[])`,
          [ids],
        )
      ).rows;
    const deadline = Date.now() + 60_000;
    while ((await tasks()).length < args.probes && Date.now() < deadline) await sleep(200);
    const achieved = load.achieved();
    await load.stop();
    const lag = base + load.sent - (await processed());

    const rows = await tasks();
    if (rows.some((r) => r.committed === null))
      throw new Error(
        'Postgres keeps no commit timestamps: set track_commit_timestamp = on (scripts/stack.sh up does)',
      );
    const index = new Map(ids.map((id, i) => [id, i]));
    const lat = rows.map((r) => Number(r.committed) - sentAt[index.get(r.customer_id)!]);
    const since = (col: 'recorded' | 'picked' | 'created') =>
      rows.map((r) => Number(r[col]) - sentAt[index.get(r.customer_id)!]);
    const decisions = await pg.query<{ n: string; tasks: string }>(
      `SELECT (SELECT count(*) FROM outbox WHERE kind = 'decision') AS n, (SELECT count(*) FROM tasks) AS tasks`,
    );
    const p50 = percentile(lat, 50);
    const p99 = percentile(lat, 99);
    log(`probes: ${args.probes} detractor surveys over ${args.seconds} s; tasks created: ${rows.length}`);
    log(
      `background: ${fmt(load.sent)} events at ${fmt(achieved)} events/s; ingest backlog at the end: ${fmt(Math.max(0, lag))} events`,
    );
    // BullMQ's side of each probe's job: queued → taken by the worker → the task transaction began.
    const queue = new Queue(QueueName.Followups, {
      connection: createRedis(config.redis.url),
      prefix: env.QUEUE_PREFIX,
    });
    const jobs = await Promise.all(rows.map((r) => queue.getJob(decisionJobId(r.dealer_id, r.decision_id))));
    await queue.close();
    const waited = jobs.flatMap((j) => (j?.processedOn ? [j.processedOn - j.timestamp] : []));
    const began = rows.flatMap((r, i) => {
      const j = jobs[i];
      return j?.processedOn ? [Number(r.created) - j.processedOn] : [];
    });
    const stage = (what: string, xs: number[]) =>
      log(`${what}: p50 ${fmt(percentile(xs, 50))} ms, p99 ${fmt(percentile(xs, 99))} ms`);
    stage('event → its decision recorded (start of the ingest transaction that fired it)', since('recorded'));
    stage('event → relay picked the decision up', since('picked'));
    stage(`BullMQ: job added → worker took it (${waited.length} jobs)`, waited);
    stage('BullMQ: worker took the job → task transaction began', began);
    stage(
      'event → task transaction began (what this bench reported before it read commit times)',
      since('created'),
    );
    log(
      `decisions recorded during the run: ${fmt(Number(decisions.rows[0].n))}, tasks ${fmt(Number(decisions.rows[0].tasks))}`,
    );
    log(
      `event → task committed (commit record stamped): p50 ${fmt(p50)} ms, p90 ${fmt(percentile(lat, 90))} ms, p99 ${fmt(p99)} ms, max ${fmt(Math.max(...lat))} ms (target p99 ≤ 500 ms)`,
    );
    if (rows.length < args.probes)
      throw new Error(`${args.probes - rows.length} probe(s) produced no task within 60 s`);
    for (const app of apps) log(`app ${app.pid} event loop: ${await eventLoopLag(app.url)}`);
    if (args.appLog) writeFileSync(args.appLog, apps.map((a) => a.output()).join('\n'));
    await cleanup();
    log(`task_latency_p50_ms=${Math.round(p50)} task_latency_p99_ms=${Math.round(p99)}`);
  } catch (err) {
    for (const app of apps) log(`app ${app.pid} output (tail):\n${app.output().slice(-3000)}`);
    await cleanup().catch(() => undefined);
    throw err;
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
