import { readFileSync } from 'node:fs';
import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import type { KafkaConfig } from '@rp/config';
import type { Logger } from '@rp/observability';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs client from the validated config; its logs go to our JSON logger. */
export function createKafka(cfg: KafkaConfig, logger?: Logger, clientSuffix = ''): Kafka {
  return new Kafka({
    clientId: cfg.clientId + clientSuffix,
    brokers: cfg.brokers,
    ssl: cfg.ssl ? (cfg.sslCaFile ? { ca: [readCa(cfg.sslCaFile)] } : true) : undefined,
    sasl: cfg.sasl as SASLOptions | undefined,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 300, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log, namespace }: LogEntry) => {
        if (!logger) return;
        const { message, ...rest } = log;
        logger[LEVELS[level] ?? 'info']({ kafka: namespace, ...rest }, message);
      },
  });
}

/** loadConfig checked the file; this names the variable should it have gone since. */
function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(
      `KAFKA_SSL_CA_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}
