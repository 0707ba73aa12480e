import type { Command } from 'commander';
import type { ApiRole, NewTokenInput } from '@rp/api';
import type { AppConfig } from '@rp/config';
import type { Logger } from '@rp/observability';

type Boot = (action: (config: AppConfig, logger: Logger) => Promise<unknown>) => () => Promise<void>;

interface CreateOptions {
  dealer?: string;
  role: string;
  branch?: string;
  name?: string;
}

/** Adds `tokens create` to the CLI: prints a new API bearer token once (only its hash is stored). */
export function registerTokens(program: Command, boot: Boot): void {
  const tokens = program.command('tokens').description('API bearer tokens');
  tokens
    .command('create')
    .description(
      'create an API token for an admin of a dealer, a manager of a branch, or a platform operator (queue dashboard); printed once',
    )
    .option('--dealer <dealerId>', 'dealer the token belongs to (admin and manager tokens)')
    .requiredOption(
      '--role <role>',
      'admin (whole dealer), manager (one branch) or operator (queue dashboard, no dealer data through the API)',
    )
    .option('--branch <branchId>', 'branch of a manager token')
    .option('--name <label>', 'who holds it; shown as the assignee of the tasks they claim')
    .action(async function (this: Command, opts: CreateOptions) {
      const { createToken, tokenInputProblem } = await import('./tokens.run'); // on use: the API loads Nest
      const input: NewTokenInput = {
        dealerId: opts.dealer,
        role: opts.role as ApiRole,
        branchId: opts.branch,
        name: opts.name,
      };
      const problem = tokenInputProblem(input);
      if (problem) this.error(`error: ${problem}`);
      return boot((c, l) => createToken(c, l, input))();
    });
}
