import type { Command } from 'commander';
import { addSubscription, parseSubscriptionInput, type RawSubscriptionInput } from '@rp/alerts';
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
    .requiredOption('--url <url>', 'http(s) URL receiving POSTed JSON')
    .requiredOption('--secret <secret>', 'shared secret for x-retention-signature (≥ 16 characters)')
    .option('--reasons <codes>', 'comma-separated reason codes (default: all)')
    .option('--min-priority <n>', 'only decisions with at least this priority (default 0)')
    .action(function (this: Command, opts: RawSubscriptionInput) {
      let input;
      try {
        input = parseSubscriptionInput(opts);
      } catch (err) {
        this.error(`error: ${err instanceof Error ? err.message : String(err)}`);
      }
      return boot((c, l) => addWebhook(c, l, input))();
    });
}

async function addWebhook(
  config: AppConfig,
  logger: Logger,
  input: ReturnType<typeof parseSubscriptionInput>,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const ds = createDataSource({ ...config.database, poolSize: 1, applicationName: 'rp-webhooks' });
  await ds.initialize();
  try {
    const id = await addSubscription(ds, input);
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
