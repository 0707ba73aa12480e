import {
  addSubscription,
  parseSubscriptionInput,
  type RawSubscriptionInput,
  type SubscriptionInput,
} from '@rp/alerts';
import type { AppConfig } from '@rp/config';
import { createDataSource } from '@rp/database';
import type { Logger } from '@rp/observability';

export async function addWebhook(
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
