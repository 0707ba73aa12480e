import type { DataSource } from 'typeorm';
import {
  addSubscription,
  disableSubscription,
  listSubscriptions,
  newWebhookSecret,
  parseSubscriptionInput,
  rotateSubscriptionSecret,
  SubscriptionAdminError,
  WebhookUrlError,
  type RawSubscriptionInput,
  type SubscriptionInput,
  type SubscriptionListing,
} from '@rp/alerts';
import type { AppConfig } from '@rp/config';
import { createDataSource } from '@rp/database';
import type { Logger } from '@rp/observability';

export { dealerIdProblem } from '@rp/api';

export interface AddWebhookOptions extends RawSubscriptionInput {
  /** Read the secret from standard input. */
  secretStdin?: boolean;
}

/** Where the commands write and read (the process's streams; tests pass their own). */
export interface WebhookIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** All of standard input (read only for --secret-stdin). */
  stdin: () => Promise<string>;
}

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  return Buffer.concat(chunks).toString('utf8');
};

const processIo = (): WebhookIo => ({ out: process.stdout, err: process.stderr, stdin: readStdin });

export const SECRET_ON_COMMAND_LINE =
  'warning: --secret puts the secret where other users of this machine can read it (ps, /proc) and in shell ' +
  'history; use --secret-stdin, or leave both out to have a secret generated and printed once\n';

const SUBSCRIPTION_ID_RE = /^sub_[0-9a-f]{16}$/;

/** Checks a subscription id given on the command line; returns a message naming the problem, or undefined. */
export function subscriptionIdProblem(id: string): string | undefined {
  // Not echoed: it may be a secret pasted by mistake.
  return SUBSCRIPTION_ID_RE.test(id)
    ? undefined
    : 'that is not a subscription id: give sub_ followed by 16 hex characters (see webhooks list)';
}

async function withDb<T>(config: AppConfig, run: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = createDataSource({ ...config.database, poolSize: 1, applicationName: 'rp-webhooks' });
  await ds.initialize();
  try {
    return await run(ds);
  } finally {
    await ds.destroy();
  }
}

/** A refusal the operator can act on: the message on stderr, exit code 1. Anything else propagates. */
function refused(err: unknown, io: WebhookIo): void {
  if (!(err instanceof SubscriptionAdminError || err instanceof WebhookUrlError)) throw err;
  io.err.write(`error: ${err.message}\n`);
  process.exitCode = 1;
}

/**
 * `webhooks add`: the secret from --secret-stdin, --secret (with a warning), or generated and printed once
 * after the id. Prints the new subscription's id.
 */
export async function addWebhook(
  config: AppConfig,
  logger: Logger,
  opts: AddWebhookOptions,
  io: WebhookIo = processIo(),
): Promise<void> {
  if (opts.secret !== undefined) io.err.write(SECRET_ON_COMMAND_LINE);
  let secret = opts.secret;
  if (opts.secretStdin) {
    secret = (await io.stdin()).replace(/\r?\n$/, '');
    if (secret.length < 16) {
      io.err.write(
        'error: --secret-stdin: the secret read from standard input has fewer than 16 characters\n',
      );
      process.exitCode = 1;
      return;
    }
  }
  const generated = secret === undefined;
  // Validated after the config is loaded: the URL policy (https, allowed hosts, no private targets) is in it.
  let input: SubscriptionInput;
  try {
    input = parseSubscriptionInput(
      { ...opts, secret: secret ?? newWebhookSecret() },
      config.alerts.webhookUrls,
    );
  } catch (err) {
    io.err.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
    return;
  }
  try {
    const id = await withDb(config, (ds) => addSubscription(ds, input, config.alerts.webhookUrls));
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
    io.out.write(`${id}\n`);
    if (generated) {
      io.err.write(`the signing secret of ${id} is shown only once, store it now:\n`);
      io.out.write(`${input.secret}\n`);
    }
  } catch (err) {
    refused(err, io);
  }
}

/** One line per subscription, tab-separated under a header; never the secret nor more of the URL than its host. */
export function formatSubscriptionList(subs: SubscriptionListing[]): string {
  const lines = subs.map((s) =>
    [
      s.subscriptionId,
      s.dealerId,
      s.host,
      s.reasonCodes === null ? 'all' : s.reasonCodes.join(','),
      String(s.minPriority),
      s.alertTypes.join(','),
      s.active ? 'yes' : 'no',
      s.createdAt.toISOString(),
    ].join('\t'),
  );
  return ['id\tdealer\thost\treasons\tmin_priority\talerts\tactive\tcreated', ...lines].join('\n') + '\n';
}

export async function listWebhooks(
  config: AppConfig,
  dealerId?: string,
  io: WebhookIo = processIo(),
): Promise<void> {
  const subs = await withDb(config, (ds) => listSubscriptions(ds, dealerId));
  io.out.write(formatSubscriptionList(subs));
}

export async function disableWebhook(
  config: AppConfig,
  logger: Logger,
  dealerId: string,
  id: string,
  io: WebhookIo = processIo(),
): Promise<void> {
  try {
    const wasActive = await withDb(config, (ds) => disableSubscription(ds, dealerId, id));
    if (wasActive) logger.info({ dealerId, subscriptionId: id }, 'webhook subscription disabled');
    io.out.write(
      wasActive
        ? `subscription ${id} of dealer ${dealerId} disabled: no new alerts; its pending deliveries end cancelled\n`
        : `subscription ${id} of dealer ${dealerId} was already disabled; nothing changed\n`,
    );
  } catch (err) {
    refused(err, io);
  }
}

export async function rotateWebhook(
  config: AppConfig,
  logger: Logger,
  dealerId: string,
  id: string,
  io: WebhookIo = processIo(),
): Promise<void> {
  const secret = newWebhookSecret();
  try {
    await withDb(config, (ds) => rotateSubscriptionSecret(ds, dealerId, id, secret));
  } catch (err) {
    refused(err, io);
    return;
  }
  logger.info({ dealerId, subscriptionId: id }, 'webhook subscription secret rotated');
  io.err.write(
    `subscription ${id} of dealer ${dealerId}: new signing secret, deliveries are signed with it from now on ` +
      '(the old one no longer verifies); shown only once, store it now:\n',
  );
  io.out.write(`${secret}\n`);
}
