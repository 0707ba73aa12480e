import { maskUserinfo } from './logger';

/** The logger methods a loop writes with (pino's Logger has them). */
export interface LoopLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface FailureStreakOptions {
  /** Failures in a row after which the streak is logged at error and reported by problem() (default 5). */
  errorAfterFailures?: number;
  /** A streak failing for this long is logged at error and reported, whatever its count (default 60 s). */
  errorAfterMs?: number;
  /** An error already logged in a streak is logged again, with the count, at most this often (default 60 s). */
  remindEveryMs?: number;
  /** What one attempt is called in problem() ("ticks", "passes"; default "attempts"). */
  unit?: string;
}

const ERROR_AFTER_FAILURES = 5;
const ERROR_AFTER_MS = 60_000;
const REMIND_EVERY_MS = 60_000;
/** Distinct errors of one streak logged each as they first occur; any beyond share one reminder. */
const DISTINCT_ERRORS_LOGGED = 16;

/** An error's message, without credentials a connection URL may carry. */
export const errorMessage = (err: unknown): string =>
  maskUserinfo(err instanceof Error ? err.message : String(err));

/**
 * Consecutive failures of a background loop, logged without flooding: each distinct error of a streak at
 * warn when it first occurs; once the streak reaches `errorAfterFailures` failures or has lasted
 * `errorAfterMs`, at error at once, then one reminder (with the count) per `remindEveryMs` per error;
 * info once on recovery. problem() reports an escalated streak, with its last error.
 */
export class FailureStreak {
  private count = 0;
  private last = '';
  private since = 0;
  private escalated = false;
  /** When each distinct error of the streak was last logged. */
  private readonly logged = new Map<string, number>();

  constructor(
    private readonly what: string,
    private readonly logger: LoopLogger,
    private readonly o: FailureStreakOptions = {},
  ) {}

  get failures(): number {
    return this.count;
  }

  /** The last failure's message while the streak lasts. */
  get lastError(): string | undefined {
    return this.count > 0 ? this.last : undefined;
  }

  ok(nowMs: number): void {
    if (this.count === 0) return;
    this.logger.info({ failures: this.count, failingForMs: nowMs - this.since }, `${this.what} recovered`);
    this.count = 0;
    this.escalated = false;
    this.logged.clear();
  }

  fail(err: unknown, nowMs: number): void {
    const message = errorMessage(err);
    if (this.count === 0) this.since = nowMs;
    this.count++;
    this.last = message;
    const failingForMs = nowMs - this.since;
    const escalatesNow =
      !this.escalated &&
      (this.count >= (this.o.errorAfterFailures ?? ERROR_AFTER_FAILURES) ||
        failingForMs >= (this.o.errorAfterMs ?? ERROR_AFTER_MS));
    if (escalatesNow) this.escalated = true;
    const key = this.logged.has(message) || this.logged.size < DISTINCT_ERRORS_LOGGED ? message : '*';
    const at = this.logged.get(key);
    if (!escalatesNow && at !== undefined && nowMs - at < (this.o.remindEveryMs ?? REMIND_EVERY_MS)) return;
    this.logged.set(key, nowMs);
    const fields = { err: message, failures: this.count, failingForMs };
    if (escalatesNow) this.logger.error(fields, `${this.what} keeps failing`);
    else if (this.escalated) this.logger.error(fields, `${this.what} still failing`);
    else this.logger.warn(fields, at === undefined ? `${this.what} failed` : `${this.what} still failing`);
  }

  /** What /health reports once the streak escalated; undefined before. */
  problem(nowMs: number): string | undefined {
    if (!this.escalated) return undefined;
    const unit = this.o.unit ?? 'attempts';
    return `${this.what} failed ${this.count} ${unit} in a row for ${nowMs - this.since} ms: ${this.last}`;
  }
}

export interface LoopHealthOptions extends FailureStreakOptions {
  /** A pass running longer than this is reported (default 120 s). */
  maxPassMs?: number;
  /** The oldest row waiting for this loop, older than this, is reported (default 120 s). */
  maxPendingAgeMs?: number;
}

const MAX_PASS_MS = 120_000;
const MAX_PENDING_AGE_MS = 120_000;

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/**
 * What /health needs to know about one background loop: its failure streak (see FailureStreak), when its
 * last pass succeeded, and when the pass in progress started (a pass that hangs never fails).
 */
export class LoopHealth {
  readonly streak: FailureStreak;
  private passStartedAt?: number;
  private lastSuccessAt?: number;

  constructor(
    readonly name: string,
    logger: LoopLogger,
    private readonly o: LoopHealthOptions = {},
  ) {
    this.streak = new FailureStreak(name, logger, { unit: 'passes', ...o });
  }

  get lastError(): string | undefined {
    return this.streak.lastError;
  }

  started(nowMs: number): void {
    this.passStartedAt = nowMs;
  }

  succeeded(nowMs: number): void {
    this.passStartedAt = undefined;
    this.lastSuccessAt = nowMs;
    this.streak.ok(nowMs);
  }

  failed(err: unknown, nowMs: number): void {
    this.passStartedAt = undefined;
    this.streak.fail(err, nowMs);
  }

  /** A pass that ended without progress (rows held by someone else): neither a success nor a failure. */
  ended(): void {
    this.passStartedAt = undefined;
  }

  /** Why the loop is not doing its job (failing streak, pass running too long); undefined when it is. */
  problem(nowMs: number): string | undefined {
    const running = this.passStartedAt === undefined ? 0 : nowMs - this.passStartedAt;
    if (running > (this.o.maxPassMs ?? MAX_PASS_MS)) {
      return `${this.name}: pass running for ${running} ms${this.lastError ? `; last error: ${this.lastError}` : ''}`;
    }
    return this.streak.problem(nowMs);
  }

  /**
   * The /health probe: resolves with the loop's state, rejects naming the loop and what is wrong, also when
   * the oldest row waiting for it (`oldestPendingAgeMs`, ms; null when none waits) is older than allowed.
   */
  async check(
    nowMs: number,
    oldestPendingAgeMs?: () => Promise<number | null>,
  ): Promise<Record<string, unknown>> {
    const problem = this.problem(nowMs);
    if (problem) throw new Error(problem);
    const age = oldestPendingAgeMs ? await oldestPendingAgeMs() : null;
    if (age !== null && age > (this.o.maxPendingAgeMs ?? MAX_PENDING_AGE_MS)) {
      const last = this.lastError ? `; last error: ${this.lastError}` : '';
      throw new Error(`${this.name}: oldest pending outbox row waiting for ${Math.round(age)} ms${last}`);
    }
    return {
      consecutiveFailures: this.streak.failures,
      ...(this.lastSuccessAt !== undefined ? { lastSuccessAt: iso(this.lastSuccessAt) } : {}),
      ...(this.passStartedAt !== undefined ? { passStartedAt: iso(this.passStartedAt) } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }
}
