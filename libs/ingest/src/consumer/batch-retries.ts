/**
 * A batch retried in place for longer than this (transient failures: the consumer never skips or
 * dead-letters it) is stalled: `problem()` reports the ingest consumer down, naming it.
 */
export const MAX_RETRY_MS = 60_000;
/** …or after this many failed attempts in a row (with back-off 200 ms doubling: about 6 s). */
export const MAX_RETRY_ATTEMPTS = 5;
/** While a batch is stalled, one error line per this interval (not one per retry for ever). */
export const STALL_LOG_EVERY_MS = 60_000;

/**
 * `transient`: the database is away, busy or out of room (connection, deadlock, timeout, disk full,
 * read-only after a failover); it may heal by itself. `misconfiguration`: retried all the same (the input is
 * valid, the batch must not be skipped) but only an operator cures it: privileges, a missing database, schema,
 * table, column or function (not migrated), authentication. `crash`: a non-transient failure, kafkajs
 * restarts the consumer and the batch comes back.
 */
export type RetryKind = 'transient' | 'misconfiguration' | 'crash';

const MISCONFIGURATION_SQLSTATE = /^(28[0-9A-Z]{3}|3D000|3F000|42501|42P01|42703|42883)$/;

/** The error's code (a SQLSTATE, or a Node error code), also from a TypeORM error's driverError. */
function codeOf(err: unknown): string | undefined {
  let e = err;
  for (let depth = 0; depth < 3 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') return code;
    e = (e as { driverError?: unknown }).driverError;
  }
  return undefined;
}

export const retryKind = (err: unknown): Exclude<RetryKind, 'crash'> =>
  MISCONFIGURATION_SQLSTATE.test(codeOf(err) ?? '') ? 'misconfiguration' : 'transient';

/**
 * Code and message, bounded. Postgres' messages for these errors name objects (a table, a file), never
 * values; the parameters of the statement are not part of them.
 */
export function errorText(err: unknown): string {
  const m = (err as { message?: unknown } | null)?.message;
  const message = typeof m === 'string' ? m : String(err);
  const code = codeOf(err);
  return (code === undefined || message.includes(code) ? message : `${code} ${message}`).slice(0, 300);
}

export interface RetryLimits {
  maxRetryMs: number;
  maxRetryAttempts: number;
  logEveryMs: number;
}

export interface RetryLog {
  level: 'warn' | 'error' | 'info';
  msg: string;
  fields: Record<string, unknown>;
}

interface Retrying {
  topic: string;
  partition: number;
  since: number;
  attempts: number;
  kind: RetryKind;
  error: string;
  /** When the last error line was logged (stalled); undefined before. */
  loggedAt?: number;
}

/**
 * The batches being retried in place, one per `topic:partition` (the partitions consumed concurrently, or
 * sharing a group commit, fail together): when each began, how many attempts failed, the last error. Pure:
 * every time comes as an argument.
 */
export class BatchRetries {
  private readonly retrying = new Map<string, Retrying>();

  constructor(private readonly limits: RetryLimits) {}

  /** An attempt of the partition's batch failed and is retried in `retryInMs`: what to log, if anything. */
  failed(
    topic: string,
    partition: number,
    err: unknown,
    nowMs: number,
    retryInMs: number,
  ): { kind: RetryKind; log?: RetryLog } {
    const key = `${topic}:${partition}`;
    let r = this.retrying.get(key);
    if (r === undefined) {
      r = { topic, partition, since: nowMs, attempts: 0, kind: 'transient', error: '' };
      this.retrying.set(key, r);
    }
    r.attempts++;
    r.kind = retryKind(err);
    r.error = errorText(err);
    const fields = {
      topic,
      partition,
      kind: r.kind,
      attempts: r.attempts,
      retryingForMs: nowMs - r.since,
      retryInMs,
      err: r.error,
    };
    if (!this.stalled(r, nowMs))
      return { kind: r.kind, log: { level: 'warn', msg: 'transient failure, retrying batch', fields } };
    if (r.loggedAt !== undefined && nowMs - r.loggedAt < this.limits.logEveryMs) return { kind: r.kind };
    r.loggedAt = nowMs;
    const msg = 'ingest batch stalled: retrying it until the database accepts it (never skipped)';
    return { kind: r.kind, log: { level: 'error', msg, fields } };
  }

  /** The partition's batch passed: what to log when it had been reported stalled. */
  succeeded(topic: string, partition: number, nowMs: number): RetryLog | undefined {
    const key = `${topic}:${partition}`;
    const r = this.retrying.get(key);
    this.retrying.delete(key);
    if (r?.loggedAt === undefined) return undefined;
    return {
      level: 'info',
      msg: 'ingest batch stall over: the batch passed',
      fields: { topic, partition, attempts: r.attempts, retryingForMs: nowMs - r.since },
    };
  }

  /** The batch left the loop without passing (the partition moved, the consumer stops or restarts). */
  abandoned(topic: string, partition: number): void {
    this.retrying.delete(`${topic}:${partition}`);
  }

  /** The longest stalled batch (and how many more), or undefined when none is. */
  problem(nowMs: number): string | undefined {
    let worst: Retrying | undefined;
    let stalled = 0;
    for (const r of this.retrying.values()) {
      if (!this.stalled(r, nowMs)) continue;
      stalled++;
      if (worst === undefined || r.since < worst.since) worst = r;
    }
    if (worst === undefined) return undefined;
    const seconds = Math.floor((nowMs - worst.since) / 1000);
    const more = stalled > 1 ? `; ${stalled - 1} more partition(s) stalled` : '';
    const hint =
      worst.kind === 'misconfiguration'
        ? ' (the database refuses it: fix privileges or schema; retried until then)'
        : '';
    return `retrying ${worst.topic}:${worst.partition} for ${seconds} s (${worst.attempts} failed attempts, ${worst.kind}): ${worst.error}${hint}${more}`;
  }

  private stalled(r: Retrying, nowMs: number): boolean {
    return (
      r.kind === 'misconfiguration' ||
      r.attempts >= this.limits.maxRetryAttempts ||
      nowMs - r.since > this.limits.maxRetryMs
    );
  }
}
