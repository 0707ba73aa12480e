import type { Command } from 'commander';
import type { RawSubscriptionInput } from '@rp/alerts';
import type { AppConfig } from '@rp/config';
import type { Logger } from '@rp/observability';

type Boot = (action: (config: AppConfig, logger: Logger) => Promise<unknown>) => () => Promise<void>;

/** Adds `webhooks add` to the CLI: a dealer's churn-alert subscription (run `migrate` first). */
export function registerWebhooks(program: Command, boot: Boot): void {
  const webhooks = program.command('webhooks').description('manage churn-alert webhook subscriptions');
  webhooks
    .command('add')
    .description("subscribe a URL to a dealer's churn alerts (payloads signed with the secret, HMAC-SHA256)")
    .requiredOption('--dealer <dealerId>', 'tenant whose decisions are alerted')
    .requiredOption(
      '--url <url>',
      'https URL receiving POSTed JSON (see ALERT_ALLOW_HTTP, ALERT_WEBHOOK_ALLOWED_HOSTS, ALERT_ALLOW_PRIVATE_TARGETS)',
    )
    .requiredOption('--secret <secret>', 'shared secret for x-retention-signature (≥ 16 characters)')
    .option('--reasons <codes>', 'comma-separated reason codes (default: all)')
    .option('--min-priority <n>', 'only decisions with at least this priority (default 0)')
    .option('--alerts <types>', 'comma-separated: churn.alert,task.escalated (default both)')
    .action(async (opts: RawSubscriptionInput) => {
      const { addWebhook } = await import('./webhooks.run'); // on use: alerts load BullMQ
      return boot((c, l) => addWebhook(c, l, opts))();
    });
}
