import { writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { AppConfig } from '@rp/config';
import { TOPIC_KINDS, type TopicKind } from '@rp/contracts';
import { createDataSource } from '@rp/database';
import { loadRuleSet } from '@rp/ingest';
import { createKafka } from '@rp/kafka';
import type { Logger } from '@rp/observability';
import type { RuleSet } from '@rp/risk';
import {
  buildReplayReport,
  checkReplayName,
  checkReportDealer,
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
import { reportUsage, ruleSetOption, usageExitCode, writableFile } from './usage';

type Boot = (action: (config: AppConfig, logger: Logger) => Promise<unknown>) => () => Promise<void>;

export interface ReplayCliOptions {
  name: string;
  topics: TopicKind[];
  from: Position;
  to: Position;
  ruleSet?: { file: string; ruleSet: RuleSet };
  json?: string;
  dealer?: string;
  drop?: boolean;
  rebuild?: boolean;
}

const asArgumentError =
  <T>(parse: (v: string) => T) =>
  (v: string): T => {
    try {
      return parse(v);
    } catch (err) {
      throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
    }
  };

/** A dealer id as the contract allows it (1–128 characters). */
function dealerOption(v: string): string {
  if (v.length === 0 || v.length > 128)
    throw new Error(`a dealer id has 1 to 128 characters, got ${v.length}`);
  return v;
}

const position = (flag: string) => asArgumentError((v) => parsePosition(flag, v));
const replayName = asArgumentError((v) => checkReplayName(v));

/** Options that only a replay uses: `--rebuild` and `--drop` refuse them rather than ignore them. */
const REPLAY_ONLY = ['topics', 'from', 'to', 'ruleSet', 'json', 'dealer'] as const;
const FLAG: Record<string, string> = {
  topics: '--topics',
  from: '--from',
  to: '--to',
  ruleSet: '--rule-set',
  json: '--json',
  dealer: '--dealer',
  rebuild: '--rebuild',
};

/** The usage error of a mode combined with options it does not use (pure; `given` = options set on the command line). */
export function unusedOptions(given: (k: string) => boolean, opts: ReplayCliOptions): string | undefined {
  const mode = opts.drop ? '--drop' : opts.rebuild ? '--rebuild' : undefined;
  if (!mode) return undefined;
  const extra = [...REPLAY_ONLY, ...(opts.drop ? ['rebuild'] : [])].filter(given).map((k) => FLAG[k]);
  if (extra.length === 0) return undefined;
  const why =
    mode === '--drop'
      ? `--drop only takes --name (a rebuild's: --drop --name <rebuild name>)`
      : `--rebuild always replays every input topic from the beginning into projections, with no report`;
  return `${mode} does not take ${extra.join(', ')}: ${why}`;
}

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
  const cmd = program
    .command('replay')
    .description(
      'replay input topics into an isolated schema with a chosen rule set (no jobs, webhooks or publications); resumable',
    )
    .option(
      '--name <name>',
      'names the replay: schema replay_<name>, its own consumer group (lower-case letters, digits, _)',
      replayName,
      'main',
    )
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
    .option(
      '--rule-set <file>',
      'rule-set JSON document to decide with (default: the active one)',
      asArgumentError(ruleSetOption),
    )
    .option('--json <file>', 'also write the report as JSON to this file', writableFile)
    .option(
      '--dealer <id>',
      "report this dealer's decisions only (the replay still reads every dealer of the topics)",
      asArgumentError(dealerOption),
    )
    .option('--rebuild', 'rebuild the live projections into a new schema and swap them in when complete')
    .option('--drop', 'delete the replay (schema and consumer group) instead of running it')
    .action(function (this: Command, opts: ReplayCliOptions) {
      const unused = unusedOptions((k) => this.getOptionValueSource(k) === 'cli', opts);
      if (unused) this.error(`error: ${unused}`);
      return boot((c, l) => replay(c, l, opts))();
    });
  usageExitCode(cmd);
}

export async function replay(config: AppConfig, logger: Logger, opts: ReplayCliOptions): Promise<void> {
  try {
    checkReplayName(opts.name);
    const kafka = createKafka(config.kafka, logger, '-replay');
    if (opts.drop) return await dropReplay(config, kafka, opts.name);
    if (opts.rebuild) return await rebuild(config, logger, kafka, opts);
    return await runReplay(config, logger, kafka, opts);
  } catch (err) {
    reportUsage('replay', err, [ReplayOptionError]);
  }
}

async function runReplay(
  config: AppConfig,
  logger: Logger,
  kafka: ReturnType<typeof createKafka>,
  opts: ReplayCliOptions,
): Promise<void> {
  const job = new ReplayJob(
    { config, kafka, logger, progress: progressSink() },
    {
      name: opts.name,
      kinds: opts.topics,
      from: opts.from,
      to: opts.to,
      ruleSet: opts.ruleSet?.ruleSet ?? loadRuleSet(config.risk.ruleSetFile),
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
      if (opts.dealer !== undefined) await checkReportDealer(ds, opts.dealer);
      const report = await buildReplayReport(
        ds,
        outcome.run,
        config.database.schema,
        config.risk.allowedLatenessMs,
        opts.dealer ?? null,
      );
      process.stdout.write(formatReplayReport(report, outcome));
      if (opts.json) writeFileSync(opts.json, `${JSON.stringify(report, null, 2)}\n`);
    } finally {
      await ds.destroy();
    }
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
    // The name was checked (a plain identifier); quoted all the same.
    await ds.query(`DROP SCHEMA IF EXISTS "${schema.replace(/"/g, '""')}" CASCADE`);
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
