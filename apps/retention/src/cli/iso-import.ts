import { InvalidArgumentError, Option, type Command } from 'commander';
import { Partitioners, type Kafka } from 'kafkajs';
import type { AppConfig } from '@rp/config';
import { createKafka } from '@rp/kafka';
import type { Logger } from '@rp/observability';
import {
  formatImportSummary,
  importFleetEndpoint,
  importFleetFiles,
  PublishedSnapshots,
  runOnSchedule,
  type ImportOptions,
  type ImportSummary,
} from '@rp/telematics-iso';
import { reportUsage, UsageError, usageExitCode } from './usage';

export interface IsoImportOptions {
  file?: string[];
  poll?: boolean;
  once?: boolean;
  dealer?: string;
  source?: string;
  maxPages?: number;
}

type Boot = (action: (config: AppConfig, logger: Logger) => Promise<unknown>) => () => Promise<void>;

const positiveInt = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

/** Adds `iso-import` to the CLI; `boot` loads the config and logger as for the other commands. */
export function registerIsoImport(program: Command, boot: Boot): void {
  const cmd = program
    .command('iso-import')
    .description('publish ISO 15143-3 fleet snapshots (files, or the OEM endpoint) to the telematics topic')
    .addOption(new Option('--file <path...>', 'fleet snapshot document(s), XML or JSON').conflicts('poll'))
    .option('--poll', 'poll ISO_ENDPOINT_URL page by page, every ISO_POLL_INTERVAL_MS')
    .option('--once', 'with --poll: poll once, then exit')
    .option('--dealer <dealerId>', 'tenant of the snapshots (default: ISO_DEALER_ID)')
    .option('--source <name>', 'envelope source (default: iso15143-3)')
    .option('--max-pages <n>', 'with --poll: stop after this many pages', positiveInt, 500)
    .action(function (this: Command, opts: IsoImportOptions) {
      if (!opts.file && !opts.poll) this.error('error: iso-import needs --file <path...> or --poll');
      if (opts.dealer !== undefined && (opts.dealer.length < 1 || opts.dealer.length > 64)) {
        this.error('error: --dealer must be 1-64 characters');
      }
      if (opts.once && !opts.poll) this.error('error: --once only applies to --poll');
      return boot(async (c, l) => {
        try {
          await isoImport(c, l, opts);
        } catch (err) {
          reportUsage('iso-import', err);
        }
      })();
    });
  usageExitCode(cmd);
}

/**
 * Runs the import and prints its summary to `out`. With files or `--once`, the exit code is 1 when a
 * document or the poll failed (rejected entries and readings left out are listed; they do not fail the
 * run); on a schedule a failed poll is logged and the next one runs on time.
 */
export async function isoImport(
  config: AppConfig,
  logger: Logger,
  opts: IsoImportOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const dealerId = opts.dealer ?? config.iso?.dealerId;
  if (!dealerId || dealerId.length > 64) {
    throw new UsageError(
      dealerId
        ? `--dealer: "${dealerId.slice(0, 20)}…" is longer than 64 characters`
        : 'no dealer: pass --dealer <dealerId> (1-64 characters) or set ISO_DEALER_ID',
    );
  }
  const endpointUrl = config.iso?.endpointUrl;
  if (opts.poll && !endpointUrl) throw new UsageError('--poll: ISO_ENDPOINT_URL is not set');

  const topic = config.topics.telematics;
  const kafka = createKafka(config.kafka, logger, '-iso-import');
  await requireTopic(kafka, topic);
  // No auto-creation: input topics need the retention set up by the `topics` command. The default
  // (Java-compatible) partitioner puts a serial on the same partition as other producers do.
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const target: ImportOptions = {
    dealerId,
    source: opts.source,
    // Readings dated further ahead than ingest accepts are left out, never published to be dead-lettered.
    now: Date.now,
    maxFutureSkewMs: config.ingest.maxFutureSkewMs,
    publish: async (messages) => {
      await producer.send({ topic, messages });
    },
  };
  const report = (summary: ImportSummary): boolean => {
    out.write(formatImportSummary(summary, topic));
    logger.info(
      {
        dealerId,
        documents: summary.documents.length,
        published: summary.published,
        unchanged: summary.unchanged,
        conflicts: summary.conflicts.length,
        rejected: summary.rejected.length,
        dropped: summary.dropped.length,
        failed: summary.failed.length,
      },
      'iso import finished',
    );
    return summary.failed.length === 0 && summary.error === undefined;
  };

  try {
    if (opts.file) {
      if (!report(await importFleetFiles(opts.file, target))) process.exitCode = 1;
      return;
    }
    const stop = new AbortController();
    // Shared by the cycles of this process: an unchanged snapshot is not sent again every cycle.
    const published = new PublishedSnapshots();
    const poll = async (): Promise<ImportSummary> =>
      importFleetEndpoint(
        {
          url: endpointUrl!,
          auth: config.iso?.auth,
          maxPages: opts.maxPages,
          signal: stop.signal,
          onRetry: (r) => logger.warn({ ...r }, 'ISO endpoint throttled or failing; retrying'),
        },
        { ...target, published },
      );
    if (opts.once) {
      if (!report(await poll())) process.exitCode = 1;
      return;
    }
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await runOnSchedule(
        async () => {
          const summary = await poll();
          if (!report(summary) && !stop.signal.aborted) throw new Error(summary.error ?? 'poll failed');
        },
        {
          intervalMs: config.iso!.pollIntervalMs,
          signal: stop.signal,
          onError: (err) => logger.error({ err }, 'ISO poll failed; next attempt on schedule'),
        },
      );
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  } finally {
    await producer.disconnect();
  }
}

async function requireTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) {
      throw new Error(`topic ${topic} does not exist; run the topics command first`);
    }
  } finally {
    await admin.disconnect();
  }
}
