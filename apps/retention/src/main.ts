import 'reflect-metadata';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig, type AppConfig } from '@rp/config';
import { createLogger, type Logger } from '@rp/observability';
import { registerBacktest } from './cli/backtest';
import { registerIsoImport } from './cli/iso-import';
import { migrate } from './cli/migrate';
import { registerSimulate } from './cli/simulate';
import { setupTopics } from './cli/topics';
import { registerReplay } from './cli/replay';
import { registerTokens } from './cli/tokens';
import { registerWebhooks } from './cli/webhooks';

type Action = (config: AppConfig, logger: Logger) => Promise<unknown>;

function boot(action: Action): () => Promise<void> {
  return async () => {
    let config: AppConfig;
    try {
      config = loadConfig();
    } catch (err) {
      if (err instanceof ConfigError) {
        process.stderr.write(`${err.message}\n`);
        process.exit(2);
      }
      throw err;
    }
    const logger = createLogger(config.logLevel, { roles: config.roles.join(',') });
    try {
      await action(config, logger);
    } catch (err) {
      logger.fatal({ err }, err instanceof Error ? err.message : 'fatal error');
      process.exit(1);
    }
  };
}

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

const program = new Command('retention').description('Retention pipeline for construction-machinery dealers');
program
  .command('serve', { isDefault: true })
  .description('run the roles named in ROLES (ingest, followups, api)')
  // Loaded on use: Nest, the API and the queues are not needed by the batch commands (replay's memory).
  .action(boot(async (c, l) => (await import('./cli/serve')).serve(c, l)));
program
  .command('migrate')
  .description('apply pending database migrations')
  .action(boot((c, l) => migrate(c, l, 'up')));
program
  .command('migrate:revert')
  .description('revert the last applied migration(s)')
  .option('--steps <n>', 'how many migrations to revert', positiveInt, 1)
  .action((opts: { steps: number }) => boot((c, l) => migrate(c, l, 'down', opts.steps))());
program.command('topics').description('create the Kafka topics (idempotent)').action(boot(setupTopics));
registerIsoImport(program, boot);
registerTokens(program, boot);
registerWebhooks(program, boot);
registerSimulate(program, boot);
registerReplay(program, boot);
registerBacktest(program, boot);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
