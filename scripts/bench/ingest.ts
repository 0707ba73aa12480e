/**
 * `npm run bench:ingest [-- --events N] [--rules] [--machines M] [--partitions P]`
 *
 * Produces a realistic fleet history once into fresh topics, then measures on the same events:
 * (a) a raw kafkajs eachBatch consumer that only counts, (b) the full ingest path (BatchConsumer +
 * createIngestHandler into a fresh migrated schema) in a child process whose RSS is sampled, and with
 * --rules (c) the same with detection on. Drops the schemas and deletes the topics at the end.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { dlqTopic, inputTopics, loadConfig } from '@rp/config';
import { createKafka, ensureTopics, topicSpecs } from '@rp/kafka';
import { runIngestWorker, WorkerFailed, type MemoryReport, type WorkerDone } from './child';
import { fleetEvents } from './fleet';
import { produceAll } from './produce';
import { benchEnv, fmt, log, numberFlag } from './cli';
import { rawConsume } from './raw';
import type { StatementStat } from './sql-timing';

const ROOT = resolve(__dirname, '../..');

function parseArgs(argv: string[]) {
  const value = (name: string, fallback: number) => numberFlag(argv, name, fallback);
  return {
    events: value('--events', 1_000_000),
    machines: value('--machines', 4_000),
    partitions: value('--partitions', 6),
    rules: argv.includes('--rules'),
  };
}

function ensureStack(): void {
  const status = spawnSync('bash', [resolve(ROOT, 'scripts/stack.sh'), 'status'], { encoding: 'utf8' });
  if (status.status === 0) return log('stack: up (Kafka, Postgres, Redis)');
  log(`stack: not running (${status.stdout.trim().replace(/\n/g, ', ')}), starting it`);
  const up = spawnSync('bash', [resolve(ROOT, 'scripts/stack.sh'), 'up'], { stdio: 'inherit' });
  if (up.status !== 0) throw new Error('scripts/stack.sh up failed');
}

function printStatements(all: StatementStat[], firstHalf?: StatementStat[]): void {
  const per = (ms: number, calls: number) => (calls ? fmt(ms / calls, 1) : '–');
  const early = new Map((firstHalf ?? []).map((x) => [x.label, x]));
  log(
    `  statements: total ms, calls, ms per call${firstHalf ? ' in the first / second half of the run' : ''}`,
  );
  for (const x of all.slice(0, 10)) {
    const e = early.get(x.label) ?? { calls: 0, ms: 0 };
    const each = firstHalf
      ? `${per(e.ms, e.calls)} / ${per(x.ms - e.ms, x.calls - e.calls)}`
      : per(x.ms, x.calls);
    log(
      `    ${x.label.slice(0, 44).padEnd(44)} ${fmt(x.ms).padStart(8)} ms ${fmt(x.calls).padStart(6)} × ${each} ms`,
    );
  }
}

function report(label: string, done: WorkerDone, memory: MemoryReport): number {
  const eps = done.count / done.seconds;
  const { firstHalf: a, secondHalf: b } = memory;
  const sqlMs = done.statements.reduce((acc, x) => acc + x.ms, 0);
  log(`${label}: ${fmt(done.count)} events in ${fmt(done.seconds, 2)} s = ${fmt(eps)} events/s`);
  log(`  ${fmt(done.batches)} batches (${fmt(done.count / done.batches)} events/batch); handler busy`);
  log(
    `    ${fmt(done.handlerMs / 1000, 1)} s (summed over partitions), of which SQL ${fmt(sqlMs / 1000, 1)} s`,
  );
  if (done.crashes)
    log(`  consumer crashes: ${done.crashes} (each restarted after 5 s, as the ingest role does)`);
  const ok = done.processed === done.count ? 'ok' : 'MISMATCH';
  log(`  processed_events rows: ${fmt(done.processed)} (${ok}); other rows:`);
  const rows = Object.entries(done.rows).filter(([k]) => k !== 'processed_events');
  log(`    ${rows.map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);
  log(
    `  peak RSS (VmHWM) ${fmt(memory.peakMb)} MB; RSS mean/max first half ${fmt(a.meanMb)}/${fmt(a.maxMb)} MB,`,
  );
  const growth = b.maxMb - a.maxMb;
  const verdict = growth > 16 ? `grew by ${fmt(growth)} MB` : `did not grow (${fmt(growth)} MB)`;
  log(`    second half ${fmt(b.meanMb)}/${fmt(b.maxMb)} MB: ${verdict}`);
  printStatements(done.statements, done.firstHalf);
  return eps;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  ensureStack();
  const { suffix: s, env } = benchEnv(args.partitions);
  const config = loadConfig({ ...process.env, ...env });
  const t = config.topics;
  const kafka = createKafka(config.kafka);
  const admin = kafka.admin();
  const schemas: string[] = [];
  const groups: string[] = [];
  const specs = topicSpecs(t);
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    const pg = new Client({ connectionString: config.database.url });
    await pg.connect();
    for (const schema of schemas) await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pg.end();
    await admin.deleteGroups(groups).catch(() => undefined);
    await admin.deleteTopics({ topics: specs.map((x) => x.topic) });
    await admin.disconnect();
    log(`cleanup: dropped ${schemas.length} schema(s), deleted ${specs.length} topics`);
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  await admin.connect();
  try {
    await ensureTopics(admin, specs);
    log(`topics: ${specs.length} created (${args.partitions} partitions each), suffix ${s}`);
    log(`generating and producing ${fmt(args.events)} events for ${fmt(args.machines)} machines …`);
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    let nextMark = 100_000;
    const produced = await produceAll(
      producer,
      { telematics: t.telematics, warranty: t.warranty, service: t.service },
      fleetEvents({ events: args.events, machines: args.machines }),
      {
        onProgress: (n, bytes) => {
          if (n < nextMark) return;
          nextMark += 100_000;
          log(`  produced ${fmt(n)} events (${fmt(bytes / 1_048_576)} MB)`);
        },
      },
    );
    await producer.disconnect();
    const counts = await Promise.all(inputTopics(t).map((x) => admin.fetchTopicOffsets(x)));
    const inTopics = counts.flat().reduce((a, p) => a + Number(p.high), 0);
    const [tel, war, ser] = counts.map((c) => c.reduce((a, p) => a + Number(p.high), 0));
    log(
      `produced ${fmt(produced.count)} events, ${fmt(produced.bytes / 1_048_576)} MB in ${fmt(produced.seconds, 1)} s` +
        ` (${fmt(produced.count / produced.seconds)} events/s); in topics: telematics ${fmt(tel)},` +
        ` warranty ${fmt(war)}, service ${fmt(ser)}`,
    );
    if (inTopics !== args.events)
      throw new Error(`topics hold ${inTopics} messages, expected ${args.events}`);

    groups.push(`bench-raw-${s}`);
    log('(a) raw kafkajs eachBatch consumer (count only) …');
    const raw = await rawConsume(kafka, {
      groupId: groups[0],
      topics: inputTopics(t),
      expected: args.events,
      concurrency: config.ingest.concurrency,
      onProgress: (n) => log(`  [raw] ${fmt(n)} events counted`),
    });
    const rawEps = raw.count / raw.seconds;
    log(`(a) raw: ${fmt(raw.count)} events in ${fmt(raw.seconds, 2)} s = ${fmt(rawEps)} events/s`);

    const runIngest = async (label: string, rules: boolean) => {
      schemas.push(`bench_${s}_${label}`);
      groups.push(`bench-${label}-${s}`);
      log(`(${rules ? 'c' : 'b'}) ${label}: ingest path in a child process, schema ${schemas.at(-1)} …`);
      const run = await runIngestWorker({
        ...env,
        DATABASE_SCHEMA: schemas.at(-1)!,
        KAFKA_GROUP_ID: groups.at(-1)!,
        BENCH_EVENTS: String(args.events),
        BENCH_RULES: rules ? '1' : '0',
        BENCH_LABEL: label,
      }).catch((err: unknown) => {
        if (err instanceof WorkerFailed) {
          log(`(${rules ? 'c' : 'b'}) ${label}: ${err.message}`);
          printStatements(err.report.statements ?? []);
        }
        throw err;
      });
      return {
        eps: report(`(${rules ? 'c' : 'b'}) ${label}`, run.done, run.memory),
        peak: run.memory.peakMb,
      };
    };
    const ingest = await runIngest('ingest', false);
    let rulesFailure: Error | undefined;
    const rules = args.rules
      ? await runIngest('rules', true).catch(
          (err: unknown) => void (rulesFailure = err instanceof Error ? err : new Error(String(err))),
        )
      : undefined;

    const dlq = await Promise.all(inputTopics(t).map((x) => admin.fetchTopicOffsets(dlqTopic(x))));
    log(`dead-lettered: ${fmt(dlq.flat().reduce((a, p) => a + Number(p.high), 0))}`);
    await cleanup();
    log(`total time ${fmt((performance.now() - t0) / 1000, 1)} s`);
    log(
      `ingest_ratio=${(ingest.eps / rawEps).toFixed(3)} raw_eps=${Math.round(rawEps)}` +
        ` ingest_eps=${Math.round(ingest.eps)} peak_rss_mb=${Math.round(ingest.peak)}`,
    );
    if (rules) log(`rules_ratio=${(rules.eps / ingest.eps).toFixed(3)} rules_eps=${Math.round(rules.eps)}`);
    if (rulesFailure) throw rulesFailure;
  } finally {
    await cleanup();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
