import type { Command } from 'commander';
import {
  addSubscription,
  parseSubscriptionInput,
  type RawSubscriptionInput,
  type SubscriptionInput,
} from '@rp/alerts';
import type { AppConfig } from '@rp/config';
import { createDataSource } from '@rp/database';
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
    .action((opts: RawSubscriptionInput) => boot((c, l) => addWebhook(c, l, opts))());
}

async function addWebhook(
  config: AppConfig,
  logger: Logger,
  opts: RawSubscriptionInput,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  // Validated after the config is loaded: the URL policy (https, allowed hosts, no private targets) is in it.
  let input: SubscriptionInput;
  try {
    input = parseSubscriptionInput(opts, config.alerts.webhookUrls);
  } catch (err) {
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
    return;
  }
  const ds = createDataSource({ ...config.database, poolSize: 1, applicationName: 'rp-webhooks' });
  await ds.initialize();
  try {
    const id = await addSubscription(ds, input, config.alerts.webhookUrls);
    // Never the secret: ids, URL host and filters only.
    logger.info(
      {
        dealerId: input.dealerId,
        subscriptionId: id,
        host: new URL(input.url).host,
        reasons: input.reasonCodes,
      },
      'webhook subscription added',
    );
    out.write(`${id}\n`);
  } finally {
    await ds.destroy();
  }
}
