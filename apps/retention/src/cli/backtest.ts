import { readFileSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { AppConfig } from '@rp/config';
import { createDataSource } from '@rp/database';
import { loadRuleSet } from '@rp/ingest';
import type { Logger } from '@rp/observability';
import { formatBacktest, replaySchema, runBacktest, type GroundTruth } from '@rp/replay';

type Boot = (action: (config: AppConfig, logger: Logger) => Promise<unknown>) => () => Promise<void>;

export interface BacktestCliOptions {
  replay?: string;
  ruleSet?: string;
  against?: string;
  from?: number;
  to?: number;
  horizonDays: number;
  minRunningHours: number;
  topK: number[];
  labels?: string;
  json?: string;
}

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
  program
    .command('backtest')
    .description(
      'precision, recall and lift of a rule set (or two side by side) at monthly cut-offs, against what happened next',
    )
    .option('--replay <name>', 'read the projections of this replay (default: the live schema)')
    .option('--rule-set <file>', 'rule set to test (default: the active one)')
    .option('--against <file>', 'a second rule set, reported side by side (e.g. draft vs active)')
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
    .option('--labels <file>', "the simulator's ground-truth labels instead of labels derived from events")
    .option('--json <file>', 'also write the result as JSON to this file')
    .action((opts: BacktestCliOptions) => boot((c, l) => backtest(c, l, opts))());
}

export async function backtest(config: AppConfig, _logger: Logger, opts: BacktestCliOptions): Promise<void> {
  const schema = opts.replay ? replaySchema(opts.replay) : config.database.schema;
  const ruleSets = [loadRuleSet(opts.ruleSet ?? config.risk.ruleSetFile)];
  if (opts.against) ruleSets.push(loadRuleSet(opts.against));
  const truth = opts.labels ? readTruth(opts.labels) : undefined;
  const ds = createDataSource({ ...config.database, schema, poolSize: 2 });
  await ds.initialize();
  try {
    const found = await ds.query<unknown[]>(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'machines'`,
      [schema],
    );
    if (found.length === 0)
      throw new Error(`backtest: schema ${schema} has no projections (run the replay first?)`);
    const result = await runBacktest(ds, {
      fromMs: opts.from,
      toMs: opts.to,
      horizonDays: opts.horizonDays,
      minRunningHours: opts.minRunningHours,
      topK: opts.topK,
      ruleSets,
      truth,
    });
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
    throw new Error(`--labels ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const list = Array.isArray(json) ? json : (json as { machines?: unknown }).machines;
  if (!Array.isArray(list)) throw new Error(`--labels ${file}: expected an array of machine labels`);
  return list.map((x: unknown, i) => {
    const t = x as Partial<GroundTruth>;
    if (
      typeof t.dealerId !== 'string' ||
      typeof t.serialNumber !== 'string' ||
      (t.lapsedAt !== null && typeof t.lapsedAt !== 'string')
    ) {
      throw new Error(
        `--labels ${file}: entry ${i} needs dealerId, serialNumber and lapsedAt (string or null)`,
      );
    }
    return t as GroundTruth;
  });
}
