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
  // A database error logged under another key than `err` (which errSerializer cleans): the statement's
  // bound values and Postgres' detail ("Failing row contains (…)", "Key (…)=(…)") hold whatever was written.
  '*.parameters',
  '*.detail',
  '*.driverError.parameters',
  '*.driverError.detail',
];

/** Fields of a (database) error that carry the values written — secrets, notes, personal data. */
const ERROR_VALUE_FIELDS = ['parameters', 'detail'];

/**
 * pino's error serializer minus the values a failed statement carries: TypeORM's QueryFailedError has
 * `parameters` (and `detail`, copied from the pg error, also kept as `driverError`). Dropped at every
 * depth of the serialized error, so every `log.error({ err })` is safe whoever calls it.
 */
export function errSerializer(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown;
  if (typeof out !== 'object' || out === null) return out;
  return scrubbed(out, Object.getPrototypeOf(out) as object | null, 5);
}

/** A copy without ERROR_VALUE_FIELDS; the logged error and the objects it holds stay as they were. */
function scrubbed(v: unknown, errProto: object | null, depth: number): unknown {
  if (depth <= 0 || typeof v !== 'object' || v === null) return v;
  if (Array.isArray(v)) return v.map((item) => scrubbed(item, errProto, depth - 1));
  const proto = Object.getPrototypeOf(v) as object | null;
  // Plain objects and serialized errors only: a Date or a Buffer is logged as it is.
  if (proto !== Object.prototype && proto !== null && proto !== errProto) return v;
  const copy = Object.create(proto) as Record<string | symbol, unknown>;
  for (const sym of Object.getOwnPropertySymbols(v)) copy[sym] = (v as Record<symbol, unknown>)[sym]; // err.raw
  for (const [key, value] of Object.entries(v)) {
    copy[key] = ERROR_VALUE_FIELDS.includes(key) ? '[redacted]' : scrubbed(value, errProto, depth - 1);
  }
  return copy;
}

export function createLogger(level = 'info', bindings: Record<string, unknown> = {}, file?: string): Logger {
  return pino(
    {
      level,
      base: { service: 'retention-pipeline', ...bindings },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: errSerializer },
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
