type WarnLogger = { warn: (obj: object, msg: string) => void };

export interface RelayLoopOptions {
  /** Names the loop in logs ("followups relay"). */
  name: string;
  logger: WarnLogger;
  /** One pass; returns the rows handled. A full batch runs the next pass at once. */
  pass: () => Promise<number>;
  batch: number;
  /** Pause after a pass that handled less than a batch (unless woken). */
  idleMs: number;
  /** Maintenance (reclaim, re-arm) run after a pass once every `everyMs`. */
  periodic?: { everyMs: number; run: () => Promise<void> };
  /** Pause after a failed pass. */
  errorPauseMs?: number;
}

/**
 * The poll loop of an outbox relay: pass, periodic maintenance, idle pause. A failure is logged and
 * kept for the health probe, then retried after a pause; wake() cuts the pause short, and a wake-up
 * arriving during a pass makes the next pass start at once.
 */
export class RelayLoop {
  private stopping = false;
  private running?: Promise<void>;
  private woken = false;
  private interrupt?: () => void;
  private error?: string;

  constructor(private readonly o: RelayLoopOptions) {}

  /** The last pass's failure, cleared by the next successful pass. */
  get lastError(): string | undefined {
    return this.error;
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
    while (!this.stopping) {
      this.woken = false;
      let handled = 0;
      try {
        handled = await o.pass();
        if (o.periodic && Date.now() - lastPeriodic >= o.periodic.everyMs) {
          lastPeriodic = Date.now();
          await o.periodic.run();
        }
        this.error = undefined;
      } catch (err) {
        this.error = err instanceof Error ? err.message : String(err);
        o.logger.warn({ err: this.error }, `${o.name} pass failed; retrying`);
      }
      if (handled < o.batch) await this.pause(this.error ? (o.errorPauseMs ?? 1_000) : o.idleMs);
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
