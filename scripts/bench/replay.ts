/**
 * `npm run bench:replay [-- --events N] [--partitions P]`
 *
 * `--cpu-prof <dir>` writes a V8 CPU profile of the replay process into <dir> (open it in Chrome DevTools).
 *
 * Simulates a dealer history of at least N events (default 1,000,000) with the fleet simulator, produces
 * it once into fresh topics, then measures on the same log: (a) a raw kafkajs eachBatch consumer that
 * only counts, and (b) `bin/retention replay` (rules on, isolated schema, built dist) in a child process
 * whose peak RSS is read from /proc. Prints `replay_eps=<n> replay_ratio=<replay eps / raw eps>` last.
 * Drops the replay schema, the consumer groups and the topics at the end.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { inputTopics, loadConfig } from '@rp/config';
import { createKafka, ensureTopics, topicSpecs } from '@rp/kafka';
import { produceSimulation, simulateFleet, type SimulationOptions } from '@rp/simulator';
import { benchEnv, fmt, log, numberFlag } from './cli';
import { rawConsume } from './raw';
import { peakRssMb } from './replay/proc';

const ROOT = resolve(__dirname, '../..');
const LAUNCHER = resolve(ROOT, 'bin/retention');

function parseArgs(argv: string[]) {
  const prof = argv.indexOf('--cpu-prof');
  if (prof >= 0 && !argv[prof + 1]) throw new Error('--cpu-prof needs a directory');
  return {
    events: numberFlag(argv, '--events', 1_000_000),
    partitions: numberFlag(argv, '--partitions', 6),
    cpuProfDir: prof >= 0 ? resolve(argv[prof + 1]) : undefined,
  };
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
}

/** Runs the replay CLI; resolves with its output and the peak RSS of the process. */
function replayChild(
  env: Record<string, string>,
  name: string,
  cpuProfDir?: string,
): Promise<{ output: string; peakMb: number; code: number | null }> {
  return new Promise((done) => {
    // The launcher users run (bin/retention: the replay's heap settings). RETENTION_HEAP_OPTS replaces
    // them, e.g. RETENTION_HEAP_OPTS= for Node's own sizing; RETENTION_NODE_ARGS adds flags (--trace-gc).
    const prof = cpuProfDir ? `--cpu-prof --cpu-prof-dir=${cpuProfDir}` : '';
    const nodeArgs = [process.env.RETENTION_NODE_ARGS ?? '', prof].join(' ').trim();
    const child = spawn(LAUNCHER, ['replay', '--name', name], {
      env: { ...process.env, ...env, RETENTION_NODE_ARGS: nodeArgs },
    });
    let output = '';
    let peakMb = 0;
    const sample = setInterval(() => (peakMb = Math.max(peakMb, peakRssMb(child.pid!))), 250);
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      output += d.toString();
      const line = d.toString().trim().split('\n').at(-1);
      if (line?.startsWith('replay ')) log(`  ${line}`);
    });
    child.on('exit', (code) => {
      clearInterval(sample);
      // e.g. BENCH_REPLAY_OUTPUT=/tmp/replay.log with RETENTION_NODE_ARGS=--trace-gc
      if (process.env.BENCH_REPLAY_OUTPUT) writeFileSync(process.env.BENCH_REPLAY_OUTPUT, output);
      done({ output, peakMb, code });
    });
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  run('bash', ['scripts/stack.sh', 'up']);
  run('npx', ['nest', 'build']);
  const { suffix: s, env: base } = benchEnv(args.partitions);
  const env: Record<string, string> = {
    ...base,
    KAFKA_GROUP_ID: `bench-${s}`,
    DATABASE_SCHEMA: `bench_live_${s}`,
    LOG_LEVEL: 'warn',
  };
  const config = loadConfig({ ...process.env, ...env });
  const kafka = createKafka(config.kafka);
  const admin = kafka.admin();
  const specs = topicSpecs(config.topics);
  const name = `bench_${s}`;
  // ~310 events per machine and simulated year with daily snapshots: size the fleet for at least N events.
  const months = 24;
  const sim: SimulationOptions = {
    seed: 42,
    machines: Math.max(50, Math.ceil(args.events / (months / 12) / 310)),
    start: '2023-01-01',
    months,
    historyMonths: 24,
    snapshotDays: 1,
  };
  await admin.connect();
  try {
    await ensureTopics(admin, specs);
    log(`topics: ${specs.length} created (${args.partitions} partitions each), suffix ${s}`);
    log(`simulating ${fmt(sim.machines!)} machines over ${months} months and producing …`);
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const t0 = performance.now();
    const counts = await produceSimulation(producer, simulateFleet(sim), config.topics);
    await producer.disconnect();
    const total = counts.telematics + counts.warranty + counts.service;
    log(
      `produced ${fmt(total)} events in ${fmt((performance.now() - t0) / 1000, 1)} s ` +
        `(telematics ${fmt(counts.telematics)}, warranty ${fmt(counts.warranty)}, service ${fmt(counts.service)})`,
    );
    log('(a) raw kafkajs eachBatch consumer (count only) …');
    const raw = await rawConsume(kafka, {
      groupId: `bench-raw-${s}`,
      topics: inputTopics(config.topics),
      expected: total,
      concurrency: config.ingest.concurrency,
      onProgress: () => undefined,
    });
    const rawEps = raw.count / raw.seconds;
    log(`(a) raw: ${fmt(raw.count)} events in ${fmt(raw.seconds, 2)} s = ${fmt(rawEps)} events/s`);
    log(`(b) replay --name ${name} (rules on, schema replay_${name}) in a child process …`);
    const replay = await replayChild(env, name, args.cpuProfDir);
    const m = /this run:\s+([\d,]+) events in ([\d.]+) s/.exec(replay.output);
    if (replay.code !== 0 || !m)
      throw new Error(`replay failed (exit ${replay.code}):\n${replay.output.slice(-3000)}`);
    const handled = Number(m[1].replace(/,/g, ''));
    const eps = handled / Number(m[2]);
    log(
      replay.output
        .split('\n')
        .filter((l) => l.startsWith('  '))
        .slice(0, 6)
        .join('\n'),
    );
    log(
      `(b) replay: ${fmt(handled)} events in ${m[2]} s = ${fmt(eps)} events/s; peak RSS ${fmt(replay.peakMb)} MB`,
    );
    log(`replay_eps=${Math.round(eps)} replay_ratio=${(eps / rawEps).toFixed(3)}`);
  } finally {
    const pg = new Client({ connectionString: config.database.url });
    await pg.connect();
    await pg.query(`DROP SCHEMA IF EXISTS "replay_${name}" CASCADE`);
    await pg.query(`DROP SCHEMA IF EXISTS "${env.DATABASE_SCHEMA}" CASCADE`);
    await pg.end();
    await admin
      .deleteGroups([`bench-raw-${s}`, `${env.KAFKA_GROUP_ID}.replay.${name}`])
      .catch(() => undefined);
    await admin.deleteTopics({ topics: specs.map((x) => x.topic) }).catch(() => undefined);
    await admin.disconnect();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
