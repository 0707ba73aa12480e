import pino, { type Logger } from 'pino';
import type { LoggerService } from '@nestjs/common';

/**
 * Paths never written in clear: personal data from service events and every credential.
 * Applied by pino before serialisation, so a careless `log.info({ event })` is still safe.
 */
export const REDACT_PATHS = [
  '*.name',
  '*.phone',
  '*.email',
  '*.password',
  '*.token',
  '*.authorization',
  '*.secret',
  '*.*.name',
  '*.*.phone',
  '*.*.email',
  '*.*.password',
  '*.*.token',
  'data.name',
  'data.phone',
  'data.email',
  'headers.authorization',
  'req.headers.authorization',
  'password',
  'token',
  'authorization',
  'secret',
];

export function createLogger(level = 'info', bindings: Record<string, unknown> = {}, file?: string): Logger {
  return pino(
    {
      level,
      base: { service: 'retention-pipeline', ...bindings },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    file ? pino.destination({ dest: file, sync: true }) : undefined,
  );
}

/** Nest's logger interface over pino: one JSON line per message, with the Nest context. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.write('info', message, context);
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('trace', message, context);
  }
  private write(level: 'info' | 'warn' | 'debug' | 'trace', message: unknown, context?: string): void {
    if (typeof message === 'object' && message !== null) this.logger[level]({ context, ...message });
    else this.logger[level]({ context }, String(message));
  }
}
