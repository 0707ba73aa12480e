import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { Logger } from '@rp/observability';
import { publishDecisions } from './outbox-publisher';
import { backgroundSweepAt, sweepDue, type RiskStepOptions } from './risk-step';
import { DEFAULT_MAX_QUIET_ADVANCE_MS, quietWatermark } from './wall-clock';

export interface RiskRuntimeOptions {
  ds: DataSource;
  /** Publishes the outbox's decisions to `decisionsTopic` when set. */
  producer?: Producer;
  decisionsTopic: string;
  step: RiskStepOptions;
  /**
   * Subjects per sweep round of this loop (default 100). Live, the due subjects are those of the last few
   * batches: bigger rounds than a replay's (which loads whole histories per round) mean fewer statements per
   * evaluation, and the loop keeps up with a busier stream.
   */
  timersPerRound?: number;
  /** Sweeps run side by side per tick (default 2): rounds of different dealers overlap. */
  sweepers?: number;
  quietMs: number;
  /**
   * RISK_MAX_QUIET_ADVANCE_MS (default 7 days): the quiet rule follows the wall clock at most this far past
   * the newest event read (see quietWatermark), so a paused history push does not jump to today.
   */
  maxQuietAdvanceMs?: number;
  logger: Logger;
  tickMs?: number;
  now?: () => number;
  /**
   * Asks Kafka whether the ingest group has read every input partition to its end. Time follows the wall
   * clock only when it says so too: the `caught_up` flags are as of each partition's last batch, and a
   * producer may have written (older) events since.
   */
  readAll?: () => Promise<boolean>;
}

const LIVE_PER_ROUND = 100;

/**
 * The background half of the risk engine in the ingest role: fires the due timers of caught-up batches
 * (they kick it, so the partitions go on consuming meanwhile) and those the watermark has passed but no
 * batch fired (a lagging batch fires a bounded number), lets time follow the wall clock when the stream is
 * caught up and quiet, and publishes recorded decisions from the outbox to Kafka.
 */
export class RiskRuntime {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private active = false;
  /** A kick arrived while a tick ran: tick again right after it. */
  private again = false;

  constructor(private readonly o: RiskRuntimeOptions) {}

  start(): void {
    this.active = true;
    this.schedule(this.o.tickMs ?? 250);
  }

  /**
   * Due timers are waiting (a caught-up batch just committed): tick now rather than at the next interval,
   * or right after the tick in progress. Kicks while a tick runs collapse into one.
   */
  kick(): void {
    if (!this.active) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(0);
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.again = false;
      this.running = this.tick()
        .then(
          (more) => {
            if (more) this.again = true;
          },
          (err: unknown) =>
            this.o.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'risk tick failed'),
        )
        .finally(() => {
          this.running = undefined;
          if (this.active) this.schedule(this.again ? 0 : (this.o.tickMs ?? 250));
        });
    }, ms);
  }

  /** One pass; true when the sweep stopped at its round limit with timers still due. */
  async tick(): Promise<boolean> {
    const now = (this.o.now ?? Date.now)();
    const { ds } = this.o;
    const step = { ...this.o.step, timersPerRound: this.o.timersPerRound ?? LIVE_PER_ROUND };
    let quiet = await quietWatermark(
      ds,
      step.topics,
      now,
      step.allowedLatenessMs,
      this.o.quietMs,
      this.o.maxQuietAdvanceMs ?? DEFAULT_MAX_QUIET_ADVANCE_MS,
    );
    if (quiet !== null && this.o.readAll && !(await this.o.readAll())) quiet = null;
    // While a backlog is read, in stretches of sweepLagMs (as the lagging batches do).
    const watermark = quiet ?? (await backgroundSweepAt(ds, step));
    // Round by round, each committed on its own (decisions reach the relay at once), two sweeps side by side.
    const sweeps =
      watermark === null
        ? []
        : await Promise.all(
            Array.from({ length: this.o.sweepers ?? 2 }, () => sweepDue(ds, step, watermark)),
          );
    const producer = this.o.producer;
    if (producer) {
      while ((await publishDecisions(ds, producer, this.o.decisionsTopic)) > 0) {
        /* drain */
      }
    }
    return sweeps.some((x) => x.more);
  }

  async stop(): Promise<void> {
    this.active = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
