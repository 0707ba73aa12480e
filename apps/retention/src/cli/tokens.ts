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
  expiresIn?: string;
}

/**
 * Adds `tokens create` (prints a new API bearer token once; only its hash is stored), `tokens list` and
 * `tokens revoke <id>` to the CLI.
 */
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
    .option(
      '--expires-in <days>',
      'refuse the token after this many days (e.g. 90 or 90d); default: until revoked',
    )
    .action(async function (this: Command, opts: CreateOptions) {
      const { createToken, parseExpiresIn, tokenInputProblem } = await import('./tokens.run'); // on use: the API loads Nest
      const expires = opts.expiresIn === undefined ? undefined : parseExpiresIn(opts.expiresIn);
      if (typeof expires === 'string') this.error(`error: ${expires}`);
      const input: NewTokenInput = {
        dealerId: opts.dealer,
        role: opts.role as ApiRole,
        branchId: opts.branch,
        name: opts.name,
        ...(expires === undefined ? {} : { expiresInDays: expires }),
      };
      const problem = tokenInputProblem(input);
      if (problem) this.error(`error: ${problem}`);
      return boot((c, l) => createToken(c, l, input))();
    });
  tokens
    .command('list')
    .description(
      'list the API tokens: id, role, dealer, branch, name, created, expires, revoked (never the secret)',
    )
    .action(async () => {
      const { listTokens } = await import('./tokens-admin.run');
      return boot((c) => listTokens(c))();
    });
  tokens
    .command('revoke')
    .description('revoke an API token: the API refuses it from its next request on')
    .argument('<id>', 'token id: the 16 hex characters after rpt_ (as shown by tokens list)')
    .action(async function (this: Command, id: string) {
      const { revokeToken, tokenIdProblem } = await import('./tokens-admin.run');
      const problem = tokenIdProblem(id);
      if (problem) this.error(`error: ${problem}`);
      return boot((c, l) => revokeToken(c, l, id))();
    });
}
