import { LoopHealth, type LoopHealthOptions, type LoopLogger } from '@rp/observability';

export interface RelayLoopOptions {
  /** Names the loop in logs and /health ("followups relay"). */
  name: string;
  logger: LoopLogger;
  /**
   * One pass; returns the rows handled, or those and whether rows it could not take (locked elsewhere) are
   * still waiting. A full batch runs the next pass at once; waiting rows, after `retryMs`.
   */
  pass: () => Promise<number | { handled: number; waiting: boolean }>;
  batch: number;
  /** Pause after a pass that handled less than a batch (unless woken). */
  idleMs: number;
  /** First pause after a pass that left rows locked by another transaction waiting (default 10 ms, doubling). */
  retryMs?: number;
  /** Maintenance (reclaim, re-arm) run after a pass once every `everyMs`. */
  periodic?: { everyMs: number; run: () => Promise<void> };
  /** Pause after a failed pass. */
  errorPauseMs?: number;
  /** When failures are logged at error and reported by /health (see LoopHealth). */
  health?: LoopHealthOptions;
  /** Wall clock (ms) of the health record; defaults to Date.now. */
  now?: () => number;
}

/**
 * The poll loop of an outbox relay: pass, periodic maintenance, idle pause. A failure is recorded for the
 * health probe (logged at warn, at error once it persists, rate-limited: see LoopHealth), then retried
 * after a pause; wake() cuts the pause short, and a wake-up arriving during a pass makes the next pass
 * start at once.
 */
export class RelayLoop {
  /** Failures in a row, last success and the pass in progress, for /health. */
  readonly health: LoopHealth;
  private stopping = false;
  private running?: Promise<void>;
  private woken = false;
  private interrupt?: () => void;
  private readonly now: () => number;

  constructor(private readonly o: RelayLoopOptions) {
    this.health = new LoopHealth(o.name, o.logger, o.health);
    this.now = o.now ?? Date.now;
  }

  /**
   * The failure of the current streak: cleared by a pass that made progress (or found nothing to do), not by
   * one that only found rows locked by someone else.
   */
  get lastError(): string | undefined {
    return this.health.lastError;
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Runs the next pass now (new rows are waiting). */
  wake(): void {
    this.woken = true;
    this.interrupt?.();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake();
    await this.running;
  }

  private async run(): Promise<void> {
    const { o } = this;
    let lastPeriodic = Date.now();
    let retries = 0;
    while (!this.stopping) {
      this.woken = false;
      let handled = 0;
      let waiting = false;
      let failed = false;
      this.health.started(this.now());
      try {
        const r = await o.pass();
        handled = typeof r === 'number' ? r : r.handled;
        waiting = typeof r === 'number' ? false : r.waiting;
        if (o.periodic && Date.now() - lastPeriodic >= o.periodic.everyMs) {
          lastPeriodic = Date.now();
          await o.periodic.run();
        }
        // Only rows locked by someone else, none handled: no proof the pass works (it may fail on them).
        if (handled === 0 && waiting) this.health.ended();
        else this.health.succeeded(this.now());
      } catch (err) {
        failed = true;
        this.health.failed(err, this.now());
      }
      // Rows held elsewhere: look again soon, backing off (10, 20, 40 … ms up to idleMs) in case their holder
      // is slow, e.g. the alerts fan-out.
      retries = waiting && !failed ? (handled > 0 ? 1 : retries + 1) : 0;
      const retry = Math.min(o.idleMs, (o.retryMs ?? 10) * 2 ** Math.max(0, retries - 1));
      if (handled < o.batch)
        await this.pause(failed ? (o.errorPauseMs ?? 1_000) : waiting ? retry : o.idleMs);
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.woken || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.interrupt = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.interrupt = done;
    });
  }
}
