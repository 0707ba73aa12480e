import pino, { type Logger } from 'pino';
import type { LoggerService } from '@nestjs/common';

/**
 * Paths redacted by pino itself (kept as the declarative list; `redactLogObject` below covers the same keys
 * at every depth and inside arrays).
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

const CENSOR = '[redacted]';

/**
 * Keys whose values are never written, at any depth and inside arrays: personal data of the events
 * (EVENTS.md: customer name, phone, email; the survey's free-text comment; an outcome's note) and
 * credentials.
 */
const REDACTED_KEYS = new Set([
  'phone',
  'email',
  'comment',
  'note',
  'outcome_note',
  'outcomeNote',
  'password',
  'token',
  'authorization',
  'secret',
]);

/**
 * Redacted below the top level only: a customer's `name` (in an event, a record), a failed statement's
 * values. At the top level `name` names a thing (a replay, a connection) and stays readable.
 */
const NESTED_REDACTED_KEYS = new Set(['name', 'parameters', 'detail']);

/** Keys holding a URL: only its scheme and host are written (a path or query may carry a token). */
const isUrlKey = (k: string): boolean => k === 'url' || k === 'href' || /[a-z]Url$/.test(k);

/** Deeper than this, an object is not written at all (nothing under it can be checked cheaply). */
const MAX_DEPTH = 8;

/** Ends the userinfo part of a URL: whitespace, a path, a query, a fragment, or the `@` itself. */
const USERINFO_END = /[\s/?#@]/;

/**
 * `scheme://user:pass@` in any string → `scheme://[redacted]@`. One pass over the string (a regex with a
 * scheme before `://` backtracked quadratically on a crafted request path: a log line must not be a CPU
 * amplifier for unauthenticated input).
 */
export function maskUserinfo(s: string): string {
  if (!s.includes('://') || !s.includes('@')) return s;
  let out = '';
  let from = 0;
  let i = s.indexOf('://');
  while (i >= 0) {
    let j = i + 3;
    while (j < s.length && !USERINFO_END.test(s[j])) j++;
    if (j > i + 3 && s[j] === '@') {
      out += `${s.slice(from, i + 3)}${CENSOR}`;
      from = j;
    }
    i = s.indexOf('://', Math.max(j, i + 3));
  }
  return from === 0 ? s : out + s.slice(from);
}

/** A URL reduced to scheme and host (credentials masked, path and query dropped). */
function maskUrl(s: string): string {
  try {
    const u = new URL(s);
    const rest = u.pathname.replace(/^\/$/, '') + u.search + u.hash;
    return `${u.protocol}//${u.username || u.password ? `${CENSOR}@` : ''}${u.host}${rest ? `/${CENSOR}` : ''}`;
  } catch {
    return maskUserinfo(s);
  }
}

/**
 * The log object without personal data or credentials: REDACTED_KEYS at any depth (arrays included),
 * NESTED_REDACTED_KEYS below the top level, URL keys reduced to scheme and host, and userinfo masked in
 * every string. One pass over the object, copying only what changes (the caller's object is untouched);
 * log objects are small (ids and counts, per batch), so this costs far less than the JSON write.
 * Errors, dates and other class instances are left to their serializers (errSerializer cleans errors).
 */
export function redactLogObject(obj: Record<string, unknown>): Record<string, unknown> {
  return cleanValue(obj, '', 0, { path: new Set(), budget: MAX_VALUES }) as Record<string, unknown>;
}

/** Values one log object may hold before the rest is censored: the walk stays linear, whatever is logged. */
const MAX_VALUES = 10_000;

interface Walk {
  /** Objects on the way from the root to here: one met again is a cycle. */
  path: Set<object>;
  budget: number;
}

function cleanValue(v: unknown, key: string, depth: number, walk: Walk): unknown {
  if (typeof v === 'string') return isUrlKey(key) ? maskUrl(v) : maskUserinfo(v);
  if (typeof v !== 'object' || v === null) return v;
  if (depth > MAX_DEPTH || --walk.budget < 0) return CENSOR;
  // Binary data is written as its size (its bytes say nothing to a reader, and pino's redaction paths
  // threw on a Buffer's getters, losing the line).
  if (ArrayBuffer.isView(v)) return `[${v.constructor.name} ${v.byteLength} bytes]`;
  if (walk.path.has(v)) return '[Circular]';
  const proto = Object.getPrototypeOf(v) as object | null;
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return v;
  walk.path.add(v);
  try {
    if (Array.isArray(v)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const c = cleanValue(v[i], key, depth + 1, walk);
        if (c !== v[i]) (out ??= v.slice())[i] = c;
      }
      return out ?? v;
    }
    const src = v as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (const k of Object.keys(src)) {
      const val = src[k];
      const hidden =
        val !== undefined && (REDACTED_KEYS.has(k) || (depth > 0 && NESTED_REDACTED_KEYS.has(k)));
      const c = hidden ? CENSOR : cleanValue(val, k, depth + 1, walk);
      if (c !== val) (out ??= { ...src })[k] = c;
    }
    return out ?? v;
  } finally {
    walk.path.delete(v);
  }
}

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
    copy[key] = ERROR_VALUE_FIELDS.includes(key)
      ? CENSOR
      : typeof value === 'string'
        ? maskUserinfo(value) // a connection error's message may name its URL
        : scrubbed(value, errProto, depth - 1);
  }
  return copy;
}

export function createLogger(level = 'info', bindings: Record<string, unknown> = {}, file?: string): Logger {
  return pino(
    {
      level,
      base: { service: 'retention-pipeline', ...bindings },
      redact: { paths: REDACT_PATHS, censor: CENSOR },
      serializers: { err: errSerializer },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: redactLogObject },
      // The message too: `log.info(\`connecting to ${url}\`)` writes no password.
      hooks: {
        logMethod(args, method) {
          for (let i = 0; i < args.length; i++) {
            const a: unknown = args[i];
            if (typeof a === 'string') (args as unknown[])[i] = maskUserinfo(a);
          }
          return method.apply(this, args);
        },
      },
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
