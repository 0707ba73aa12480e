import type { Command } from 'commander';
import type { AppConfig } from '@rp/config';
import type { Logger } from '@rp/observability';
import type { AddWebhookOptions } from './webhooks.run';

type Boot = (action: (config: AppConfig, logger: Logger) => Promise<unknown>) => () => Promise<void>;

/**
 * Adds `webhooks add | list | disable <id> | rotate <id>` to the CLI: a dealer's churn-alert subscriptions
 * (run `migrate` first). A secret is never printed except once, when generated.
 */
export function registerWebhooks(program: Command, boot: Boot): void {
  const webhooks = program.command('webhooks').description('manage churn-alert webhook subscriptions');
  webhooks
    .command('add')
    .description(
      "subscribe a URL to a dealer's churn alerts (payloads signed with the secret, HMAC-SHA256); " +
        'without --secret-stdin a secret is generated and printed once',
    )
    .requiredOption('--dealer <dealerId>', 'tenant whose decisions are alerted')
    .requiredOption(
      '--url <url>',
      'https URL receiving POSTed JSON (see ALERT_ALLOW_HTTP, ALERT_WEBHOOK_ALLOWED_HOSTS, ALERT_ALLOW_PRIVATE_TARGETS)',
    )
    .option('--secret-stdin', 'read the shared secret (≥ 16 characters) from standard input')
    .option(
      '--secret <secret>',
      'deprecated: the secret on the command line is visible to other local users (ps) and kept in shell history',
    )
    .option('--reasons <codes>', 'comma-separated reason codes (default: all)')
    .option('--min-priority <n>', 'only decisions with at least this priority (default 0)')
    .option('--alerts <types>', 'comma-separated: churn.alert,task.escalated (default both)')
    .action(async function (this: Command, opts: AddWebhookOptions) {
      if (opts.secret !== undefined && opts.secretStdin) {
        this.error('error: give the secret either with --secret-stdin or with --secret, not both');
      }
      const { addWebhook } = await import('./webhooks.run'); // on use: alerts load BullMQ
      return boot((c, l) => addWebhook(c, l, opts))();
    });
  webhooks
    .command('list')
    .description(
      'list the subscriptions: id, dealer, URL host, filters, active, created (never the secret or the full URL)',
    )
    .option('--dealer <dealerId>', "only this dealer's subscriptions")
    .action(async function (this: Command, opts: { dealer?: string }) {
      const { listWebhooks, dealerIdProblem } = await import('./webhooks.run');
      const problem = opts.dealer === undefined ? undefined : dealerIdProblem(opts.dealer);
      if (problem) this.error(`error: ${problem}`);
      return boot((c) => listWebhooks(c, opts.dealer))();
    });
  webhooks
    .command('disable')
    .description(
      'turn a subscription off: no new alerts, and its pending deliveries end cancelled (kept for the record)',
    )
    .argument('<id>', 'subscription id (sub_…, as shown by webhooks list)')
    .requiredOption('--dealer <dealerId>', 'the dealer the subscription belongs to')
    .action(async function (this: Command, id: string, opts: { dealer: string }) {
      const { disableWebhook, subscriptionIdProblem, dealerIdProblem } = await import('./webhooks.run');
      const problem = subscriptionIdProblem(id) ?? dealerIdProblem(opts.dealer);
      if (problem) this.error(`error: ${problem}`);
      return boot((c, l) => disableWebhook(c, l, opts.dealer, id))();
    });
  webhooks
    .command('rotate')
    .description(
      "replace a subscription's signing secret with a generated one, printed once (the old one stops verifying)",
    )
    .argument('<id>', 'subscription id (sub_…, as shown by webhooks list)')
    .requiredOption('--dealer <dealerId>', 'the dealer the subscription belongs to')
    .action(async function (this: Command, id: string, opts: { dealer: string }) {
      const { rotateWebhook, subscriptionIdProblem, dealerIdProblem } = await import('./webhooks.run');
      const problem = subscriptionIdProblem(id) ?? dealerIdProblem(opts.dealer);
      if (problem) this.error(`error: ${problem}`);
      return boot((c, l) => rotateWebhook(c, l, opts.dealer, id))();
    });
}
