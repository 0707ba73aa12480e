import { readFileSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { AppConfig } from '@rp/config';
import { createDataSource } from '@rp/database';
import { loadRuleSet } from '@rp/ingest';
import type { Logger } from '@rp/observability';
import type { RuleSet } from '@rp/risk';
import {
  checkReplayName,
  formatBacktest,
  replaySchema,
  runBacktest,
  ReplayOptionError,
  type GroundTruth,
} from '@rp/replay';
import { reportUsage, ruleSetOption, UsageError, usageExitCode, writableFile } from './usage';

type Boot = (action: (config: AppConfig, logger: Logger) => Promise<unknown>) => () => Promise<void>;

export interface BacktestCliOptions {
  replay?: string;
  ruleSet?: { file: string; ruleSet: RuleSet };
  against?: { file: string; ruleSet: RuleSet };
  from?: number;
  to?: number;
  horizonDays: number;
  minRunningHours: number;
  topK: number[];
  labels?: { file: string; truth: GroundTruth[] };
  json?: string;
  dealer?: string;
}

const argument =
  <T>(parse: (v: string) => T) =>
  (v: string): T => {
    try {
      return parse(v);
    } catch (err) {
      if (err instanceof InvalidArgumentError) throw err;
      throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
    }
  };

const month = (flag: string) => (v: string) => {
  const m = /^(\d{4})-(\d{2})$/.exec(v);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, 1) : NaN;
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12)
    throw new InvalidArgumentError(`${flag}: use YYYY-MM, got "${v}"`);
  return ms;
};
const positive = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`must be a positive number, got "${v}"`);
  return n;
};
const positiveInts = (v: string) =>
  v.split(',').map((x) => {
    const n = Number(x);
    if (!Number.isInteger(n) || n < 1)
      throw new InvalidArgumentError(`top-K values must be positive integers, got "${x}"`);
    return n;
  });

/** Adds `backtest` to the CLI. */
export function registerBacktest(program: Command, boot: Boot): void {
  const cmd = program
    .command('backtest')
    .description(
      'precision, recall and lift of a rule set (or two side by side) at monthly cut-offs, against what happened next',
    )
    .option(
      '--replay <name>',
      'read the projections of this replay (default: the live schema)',
      argument((v) => checkReplayName(v, '--replay')),
    )
    .option('--rule-set <file>', 'rule set to test (default: the active one)', argument(ruleSetOption))
    .option(
      '--against <file>',
      'a second rule set, reported side by side (e.g. draft vs active)',
      argument(ruleSetOption),
    )
    .option('--from <YYYY-MM>', 'first monthly cut-off', month('--from'))
    .option('--to <YYYY-MM>', 'last monthly cut-off', month('--to'))
    .option('--horizon-days <n>', 'lapse horizon after each cut-off', positive, 180)
    .option(
      '--min-running-hours <n>',
      'engine hours in the horizon for a machine to count as running',
      positive,
      50,
    )
    .option('--top-k <list>', 'top-K per cut-off to score, comma separated', positiveInts, [10, 50])
    .option(
      '--labels <file>',
      "the simulator's ground-truth labels instead of labels derived from events",
      argument((file) => ({ file, truth: readTruth(file) })),
    )
    .option('--dealer <id>', "score only this dealer's machines (default: every dealer of the schema)")
    .option('--json <file>', 'also write the result as JSON to this file', writableFile)
    .action(function (this: Command, opts: BacktestCliOptions) {
      if (opts.from !== undefined && opts.to !== undefined && opts.from > opts.to) {
        this.error(
          `error: --from ${monthOf(opts.from)} is after --to ${monthOf(opts.to)}: no cut-off between them`,
        );
      }
      return boot((c, l) => backtest(c, l, opts))();
    });
  usageExitCode(cmd);
}

const monthOf = (ms: number): string => new Date(ms).toISOString().slice(0, 7);

export async function backtest(config: AppConfig, _logger: Logger, opts: BacktestCliOptions): Promise<void> {
  try {
    await run(config, opts);
  } catch (err) {
    reportUsage('backtest', err, [ReplayOptionError]);
  }
}

async function run(config: AppConfig, opts: BacktestCliOptions): Promise<void> {
  const schema = opts.replay
    ? replaySchema(checkReplayName(opts.replay, '--replay'))
    : config.database.schema;
  const ruleSets = [opts.ruleSet?.ruleSet ?? loadRuleSet(config.risk.ruleSetFile)];
  const sources = [
    opts.ruleSet?.file ?? (config.risk.ruleSetFile ? `active, ${config.risk.ruleSetFile}` : 'active'),
  ];
  if (opts.against) {
    ruleSets.push(opts.against.ruleSet);
    sources.push(opts.against.file);
  }
  const ds = createDataSource({ ...config.database, schema, poolSize: 2 });
  await ds.initialize();
  try {
    const found = await ds.query<unknown[]>(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'machines'`,
      [schema],
    );
    if (found.length === 0) {
      throw new UsageError(
        opts.replay
          ? `--replay ${opts.replay}: no such replay (schema ${schema} has no projections; run \`replay --name ${opts.replay}\` first)`
          : `the live schema ${schema} (DATABASE_SCHEMA) has no projections (run migrate, then ingest)`,
      );
    }
    if (opts.dealer !== undefined) {
      const [hit] = await ds.query<unknown[]>(`SELECT 1 FROM machines WHERE dealer_id = $1 LIMIT 1`, [
        opts.dealer,
      ]);
      if (hit === undefined) {
        const known = await ds.query<{ dealer_id: string }[]>(
          `SELECT DISTINCT dealer_id FROM machines ORDER BY 1 LIMIT 11`,
        );
        const list = known.map((d) => d.dealer_id);
        throw new UsageError(
          `--dealer ${opts.dealer}: no machine of that dealer in schema ${schema}` +
            (list.length > 0
              ? ` (dealers: ${list.slice(0, 10).join(', ')}${list.length > 10 ? ', …' : ''})`
              : ''),
        );
      }
    }
    const result = await runBacktest(ds, {
      dealerId: opts.dealer,
      fromMs: opts.from,
      toMs: opts.to,
      horizonDays: opts.horizonDays,
      minRunningHours: opts.minRunningHours,
      topK: opts.topK,
      ruleSets,
      sources,
      truth: opts.labels?.truth,
    });
    if (result.empty !== undefined) {
      process.stderr.write(`backtest: no monthly cut-off to score: ${result.empty}\n`);
      process.exitCode = 1;
      return;
    }
    process.stdout.write(formatBacktest(result));
    if (opts.json) writeFileSync(opts.json, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await ds.destroy();
  }
}

function readTruth(file: string): GroundTruth[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InvalidArgumentError(e.code === 'ENOENT' ? 'no such file' : e.message);
  }
  const list = Array.isArray(json) ? json : (json as { machines?: unknown }).machines;
  if (!Array.isArray(list)) throw new InvalidArgumentError('expected an array of machine labels');
  return list.map((x: unknown, i) => {
    const t = x as Partial<GroundTruth>;
    if (
      typeof t.dealerId !== 'string' ||
      typeof t.serialNumber !== 'string' ||
      (t.lapsedAt !== null && typeof t.lapsedAt !== 'string')
    ) {
      throw new InvalidArgumentError(`entry ${i} needs dealerId, serialNumber and lapsedAt (string or null)`);
    }
    return t as GroundTruth;
  });
}
