import { once } from 'node:events';
import { accessSync, constants, createWriteStream, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Kafka } from 'kafkajs';
import type { AppConfig } from '@rp/config';
import { createKafka } from '@rp/kafka';
import type { Logger } from '@rp/observability';
import {
  BEHAVIOURS,
  SIMULATION_DEFAULTS,
  SIMULATION_PRODUCER,
  produceSimulation,
  simulateFleet,
  simulationPeriod,
  SimulationOptionsError,
  toNdjsonLine,
  type Behaviour,
  type SimRecord,
  type SimulationOptions,
  type SimulationResult,
  type TopicCounts,
} from '@rp/simulator';
import { reportUsage, UsageError, unwritable, usageExitCode } from './usage';

export interface SimulateCliOptions {
  seed: number;
  machines: number;
  customers?: number;
  branches: number;
  start: string;
  months: number;
  historyMonths: number;
  snapshotDays: number;
  dealer: string;
  mix?: Partial<Record<Behaviour, number>>;
  out?: string;
  kafka?: boolean;
  labels?: string;
}

type Boot = (action: (config: AppConfig, logger: Logger) => Promise<unknown>) => () => Promise<void>;

const intIn =
  (min: number, max: number) =>
  (v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`must be an integer from ${min} to ${max}`);
    }
    return n;
  };

const isoDay = (v: string): string => {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== v) {
    throw new InvalidArgumentError('must be a calendar date YYYY-MM-DD');
  }
  return v;
};

const dealerId = (v: string): string => {
  if (v.length < 1 || v.length > 64) throw new InvalidArgumentError('must be 1-64 characters');
  return v;
};

/** `loyal=5,machine-sold=1`: relative weights; behaviours not listed get none. */
const behaviourMix = (v: string): Partial<Record<Behaviour, number>> => {
  const mix: Partial<Record<Behaviour, number>> = {};
  for (const part of v.split(',')) {
    const [name, weight] = part.split('=').map((s) => s.trim());
    if (!(BEHAVIOURS as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(`unknown behaviour "${name}" (known: ${BEHAVIOURS.join(', ')})`);
    }
    const w = Number(weight);
    if (weight === undefined || weight === '' || !Number.isFinite(w) || w < 0) {
      throw new InvalidArgumentError(`weight of ${name} must be a number >= 0 (e.g. ${name}=2)`);
    }
    mix[name as Behaviour] = w;
  }
  if (!Object.values(mix).some((w) => w > 0))
    throw new InvalidArgumentError('at least one weight must be positive');
  return mix;
};

const d = SIMULATION_DEFAULTS;

/** Commander argument parser of --out: an existing folder, or one that can be created, writable. */
const outDir = (v: string): string => {
  const why = folderProblem(v);
  if (why) throw new InvalidArgumentError(why);
  return v;
};

/** Why `dir` cannot be used (or created) as a writable folder; undefined when it can. */
export function folderProblem(dir: string): string | undefined {
  let d = resolve(dir);
  for (;;) {
    try {
      if (!statSync(d).isDirectory()) return `${d} is not a directory`;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') return `${d} is inside a file, not a folder`;
      if (dirname(d) === d) return `cannot create folder ${resolve(dir)}`;
      d = dirname(d); // missing: created later, if its nearest existing parent is writable
      continue;
    }
    try {
      accessSync(d, constants.W_OK);
    } catch {
      return `folder ${d} is not writable`;
    }
    return undefined;
  }
}

/** The labels file of these options. */
export const labelsFileOf = (opts: Pick<SimulateCliOptions, 'labels' | 'out'>): string =>
  opts.labels ?? (opts.out ? join(opts.out, 'labels.json') : 'simulation-labels.json');

/** Usage problems the simulation options show before any work (a single customer with sales, dates). */
function optionProblem(opts: SimulateCliOptions): string | undefined {
  try {
    const { end } = simulationPeriod(toSimulationOptions(opts));
    // The pipeline rejects events more than 24 h ahead of its clock.
    if (Date.parse(end) > Date.now() + 86_400_000) {
      return (
        `option '--start ${opts.start}' with '--months ${opts.months}' runs until ${end}, in the future; ` +
        'choose an earlier --start or fewer --months'
      );
    }
  } catch (err) {
    if (!(err instanceof SimulationOptionsError)) throw err;
    if (err.option === 'customers') {
      return (
        `--customers 1 leaves no buyer for machine-sold machines (${opts.mix ? 'its weight in --mix is positive' : 'the default --mix includes it'}); ` +
        'use --customers 2 or more, or a --mix without machine-sold'
      );
    }
    return err.message;
  }
  return undefined;
}

/** Adds `simulate` to the CLI; `boot` loads the config and logger as for the other commands. */
export function registerSimulate(program: Command, boot: Boot): void {
  const cmd = program
    .command('simulate')
    .description(
      'generate a seeded, deterministic dealer history as contract events (NDJSON files or the input topics)',
    )
    .option('--seed <n>', 'PRNG seed (same seed and flags: identical events)', intIn(0, 0xffff_ffff), d.seed)
    .option('--machines <n>', 'machines in the fleet', intIn(1, 5_000_000), d.machines)
    .option('--customers <n>', 'customers (default: 60% of the machines)', intIn(1, 5_000_000))
    .option('--branches <n>', 'branches of the dealer', intIn(1, 1000), d.branches)
    .option('--start <YYYY-MM-DD>', 'first simulated day (UTC)', isoDay, d.start)
    .option('--months <n>', 'simulated months', intIn(1, 240), d.months)
    .option(
      '--history-months <n>',
      'machines delivered up to n months before --start form the opening balance',
      intIn(0, 240),
      d.historyMonths,
    )
    .option(
      '--snapshot-days <n>',
      'days between two telematics snapshots of a machine',
      intIn(1, 365),
      d.snapshotDays,
    )
    .option('--dealer <id>', 'dealerId of every event', dealerId, d.dealerId)
    .option(
      '--mix <weights>',
      `behaviour weights, e.g. loyal=5,machine-sold=1 (unlisted: 0; default: built-in mix)`,
      behaviourMix,
    )
    .addOption(
      new Option('--out <dir>', 'write <dir>/events.ndjson and <dir>/labels.json')
        .argParser(outDir)
        .conflicts('kafka'),
    )
    .option(
      '--kafka',
      'produce to the configured input topics (TOPIC_TELEMATICS, TOPIC_WARRANTY, TOPIC_SERVICE)',
    )
    .option(
      '--labels <file>',
      'labels file (default: <out>/labels.json, or ./simulation-labels.json with --kafka)',
    )
    .action(function (this: Command, opts: SimulateCliOptions) {
      if (!opts.out && !opts.kafka) this.error('error: simulate needs --out <dir> or --kafka');
      const problem = optionProblem(opts);
      if (problem) this.error(`error: ${problem}`);
      // Its folder is --out (created before anything is generated) or must exist.
      const labels = labelsFileOf(opts);
      const why = opts.out && resolve(dirname(labels)) === resolve(opts.out) ? undefined : unwritable(labels);
      if (why) this.error(`error: option '--labels <file>' argument '${labels}' is invalid. ${why}`);
      return boot(async (c, l) => {
        try {
          await simulate(c, l, opts);
        } catch (err) {
          reportUsage('simulate', err);
        }
      })();
    });
  usageExitCode(cmd);
}

export function toSimulationOptions(opts: SimulateCliOptions): SimulationOptions {
  return {
    seed: opts.seed,
    dealerId: opts.dealer,
    branches: opts.branches,
    customers: opts.customers,
    machines: opts.machines,
    start: opts.start,
    months: opts.months,
    historyMonths: opts.historyMonths,
    snapshotDays: opts.snapshotDays,
    behaviourMix: opts.mix,
  };
}

/** Runs the simulation to files or Kafka, writes the labels and prints a one-line summary to `out`. */
export async function simulate(
  config: AppConfig,
  logger: Logger,
  opts: SimulateCliOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<SimulationResult> {
  const startedAt = Date.now();
  let result: SimulationResult | undefined;
  const records: Iterable<SimRecord> = {
    *[Symbol.iterator]() {
      result = yield* simulateFleet(toSimulationOptions(opts));
    },
  };
  const labelsFile = labelsFileOf(opts);
  let target: string;
  if (opts.out) {
    target = join(opts.out, 'events.ndjson');
    await mkdir(opts.out, { recursive: true });
    const why = unwritable(labelsFile) ?? unwritable(target);
    if (why) throw new UsageError(why);
    await writeNdjson(target, records);
  } else {
    const why = unwritable(labelsFile);
    if (why) throw new UsageError(`--labels ${labelsFile}: ${why}`);
    const { telematics, warranty, service } = config.topics;
    target = `Kafka ${telematics}, ${warranty}, ${service}`;
    await produceToKafka(config, logger, records);
  }
  if (!result) throw new Error('simulate: the simulation did not run to its end');

  await writeFile(labelsFile, `${JSON.stringify(result, null, 2)}\n`);
  const seconds = (Date.now() - startedAt) / 1000;
  out.write(`${formatSummary(result, seconds, target, labelsFile)}\n`);
  logger.info({ counts: result.counts, seconds, machines: result.machines.length }, 'simulation finished');
  return result;
}

export function formatSummary(
  result: SimulationResult,
  seconds: number,
  target: string,
  labelsFile: string,
): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const c = result.counts;
  const total = c.telematics + c.warranty + c.service;
  const behaviours = Object.entries(result.machinesByBehaviour)
    .filter(([, k]) => k > 0)
    .map(([b, k]) => `${b} ${n(k)}`)
    .join(', ');
  return (
    `simulate: ${n(total)} events (telematics ${n(c.telematics)}, warranty ${n(c.warranty)}, service ${n(c.service)}) ` +
    `for ${n(result.machines.length)} machines (${behaviours}) in ${seconds.toFixed(1)} s ` +
    `(${n(Math.round(total / Math.max(seconds, 0.001)))} events/s) -> ${target}; labels ${labelsFile}`
  );
}

async function writeNdjson(file: string, records: Iterable<SimRecord>): Promise<void> {
  const stream = createWriteStream(file);
  const failed = once(stream, 'error').then(([err]) => Promise.reject(err as Error));
  failed.catch(() => undefined); // observed below; never unhandled
  let chunk = '';
  for (const record of records) {
    chunk += `${toNdjsonLine(record)}\n`;
    if (chunk.length >= 1 << 20) {
      if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), failed]);
      chunk = '';
    }
  }
  stream.end(chunk);
  await finished(stream);
}

async function produceToKafka(
  config: AppConfig,
  logger: Logger,
  records: Iterable<SimRecord>,
): Promise<TopicCounts> {
  const { telematics, warranty, service } = config.topics;
  const kafka = createKafka(config.kafka, logger, '-simulate');
  await requireTopics(kafka, [telematics, warranty, service]);
  const producer = kafka.producer(SIMULATION_PRODUCER);
  await producer.connect();
  let logged = 0;
  try {
    return await produceSimulation(
      producer,
      records,
      { telematics, warranty, service },
      {
        onProgress: (c) => {
          const total = c.telematics + c.warranty + c.service;
          if (total - logged >= 250_000) {
            logged = total;
            logger.info({ acknowledged: total }, 'simulation events produced');
          }
        },
      },
    );
  } finally {
    await producer.disconnect();
  }
}

async function requireTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    if (missing.length > 0) {
      throw new UsageError(
        `--kafka: ${missing.length === 1 ? `topic ${missing[0]} does not` : `topics ${missing.join(', ')} do not`} exist; create the topics first with the \`topics\` command`,
      );
    }
  } finally {
    await admin.disconnect();
  }
}
