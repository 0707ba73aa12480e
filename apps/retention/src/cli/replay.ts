import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { AppConfig } from '@rp/config';
import { TOPIC_KINDS, type TopicKind } from '@rp/contracts';
import { createDataSource } from '@rp/database';
import { loadRuleSet } from '@rp/ingest';
import { createKafka } from '@rp/kafka';
import type { Logger } from '@rp/observability';
import {
  buildReplayReport,
  formatReplayReport,
  parsePosition,
  progressSink,
  rebuildLive,
  readRun,
  replaySchema,
  ReplayJob,
  ReplayOptionError,
  type Position,
} from '@rp/replay';

type Boot = (action: (config: AppConfig, logger: Logger) => Promise<unknown>) => () => Promise<void>;

export interface ReplayCliOptions {
  name: string;
  topics: TopicKind[];
  from: Position;
  to: Position;
  ruleSet?: string;
  json?: string;
  drop?: boolean;
  rebuild?: boolean;
}

const position = (flag: string) => (v: string) => {
  try {
    return parsePosition(flag, v);
  } catch (err) {
    throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
  }
};

const kinds = (v: string): TopicKind[] => {
  const list = v.split(',').map((s) => s.trim());
  const bad = list.filter((k) => !(TOPIC_KINDS as readonly string[]).includes(k));
  if (bad.length || list.length === 0) {
    throw new InvalidArgumentError(`unknown topic kind(s) ${bad.join(', ')}: use ${TOPIC_KINDS.join(', ')}`);
  }
  return list as TopicKind[];
};

/** Adds `replay` to the CLI. */
export function registerReplay(program: Command, boot: Boot): void {
  program
    .command('replay')
    .description(
      'replay input topics into an isolated schema with a chosen rule set (no jobs, webhooks or publications); resumable',
    )
    .option('--name <name>', 'names the replay: schema replay_<name>, its own consumer group', 'main')
    .option('--topics <kinds>', 'input topics to read, by kind (telematics,warranty,service)', kinds, [
      ...TOPIC_KINDS,
    ])
    .option(
      '--from <position>',
      'beginning | RFC 3339 timestamp | topic:partition=offset[,…]',
      position('--from'),
      {
        kind: 'beginning',
      },
    )
    .option('--to <position>', 'end | RFC 3339 timestamp | topic:partition=offset[,…]', position('--to'), {
      kind: 'end',
    })
    .option('--rule-set <file>', 'rule-set JSON document to decide with (default: the active one)')
    .option('--json <file>', 'also write the report as JSON to this file')
    .option('--rebuild', 'rebuild the live projections into a new schema and swap them in when complete')
    .option('--drop', 'delete the replay (schema and consumer group) instead of running it')
    .action((opts: ReplayCliOptions) => boot((c, l) => replay(c, l, opts))());
}

export async function replay(config: AppConfig, logger: Logger, opts: ReplayCliOptions): Promise<void> {
  const kafka = createKafka(config.kafka, logger, '-replay');
  if (opts.drop) return dropReplay(config, kafka, opts.name);
  if (opts.rebuild) return rebuild(config, logger, kafka, opts);
  const job = new ReplayJob(
    { config, kafka, logger, progress: progressSink() },
    {
      name: opts.name,
      kinds: opts.topics,
      from: opts.from,
      to: opts.to,
      ruleSet: loadRuleSet(opts.ruleSet ?? config.risk.ruleSetFile),
      ruleSetChosen: opts.ruleSet !== undefined,
    },
  );
  const onSignal = () => void job.stop();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const outcome = await job.run();
    if (outcome.interrupted) {
      process.stdout.write(
        `replay "${opts.name}" interrupted after ${outcome.handled.toLocaleString('en')} events; run the same command again to resume\n`,
      );
      process.exitCode = 130;
      return;
    }
    if (outcome.alreadyComplete) {
      process.stdout.write(
        `replay "${opts.name}" is already complete (use --drop to start it over); its report:\n\n`,
      );
    }
    const ds = createDataSource({ ...config.database, schema: outcome.schema, poolSize: 2 });
    await ds.initialize();
    try {
      const report = await buildReplayReport(
        ds,
        outcome.run,
        config.database.schema,
        config.risk.allowedLatenessMs,
      );
      process.stdout.write(formatReplayReport(report, outcome));
      if (opts.json) writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
    } finally {
      await ds.destroy();
    }
  } catch (err) {
    if (err instanceof ReplayOptionError) {
      process.stderr.write(`replay: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function dropReplay(
  config: AppConfig,
  kafka: ReturnType<typeof createKafka>,
  name: string,
): Promise<void> {
  const schema = replaySchema(name);
  const ds = createDataSource({ ...config.database, schema, poolSize: 1 });
  await ds.initialize();
  try {
    const exists = await ds.query<unknown[]>('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    const run = exists.length ? await readRun(ds).catch(() => null) : null;
    if (run) {
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteGroups([run.groupId]).catch(() => undefined); // never joined: nothing to delete
      await admin.disconnect();
    }
    await ds.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    process.stdout.write(
      exists.length ? `replay "${name}" dropped (schema ${schema})\n` : `no replay "${name}"\n`,
    );
  } finally {
    await ds.destroy();
  }
}

async function rebuild(
  config: AppConfig,
  logger: Logger,
  kafka: ReturnType<typeof createKafka>,
  opts: ReplayCliOptions,
): Promise<void> {
  const name = opts.name === 'main' ? 'rebuild' : opts.name;
  let stop: (() => Promise<void>) | undefined;
  const onSignal = () => void stop?.();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const out = await rebuildLive(
      { config, kafka, logger, progress: progressSink() },
      name,
      loadRuleSet(config.risk.ruleSetFile),
      (job) => (stop = () => job.stop()),
    );
    if (out.alreadySwapped) {
      process.stdout.write(
        `rebuild "${name}" was already swapped in; use --drop --name ${name} to start another\n`,
      );
    } else if (out.interrupted) {
      process.stdout.write(
        `rebuild "${name}" interrupted after ${out.handled} events; run the same command again to resume\n`,
      );
      process.exitCode = 130;
    } else {
      process.stdout.write(
        `rebuild "${name}": ${out.handled.toLocaleString('en')} events replayed, ${out.caughtUp.toLocaleString('en')} caught up with live; ` +
          `${out.tables.length} projection tables swapped into ${config.database.schema}; the previous ones are in ${out.archiveSchema} (drop it when satisfied)\n`,
      );
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
