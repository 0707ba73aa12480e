import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { LoopHealth, type Logger } from '@rp/observability';
import { oldestUnpublishedDecisionMs, publishDecisions } from './outbox-publisher';
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
  /**
   * Consecutive failed ticks of the sweeps (problem()) or of the publisher (publisherHealth()) after which
   * they are reported and logged at error (default 5; also once failing for 60 s).
   */
  failuresBeforeDown?: number;
  /** A failure goes on being logged (with a count) this often while it lasts (default 60 s). */
  remindEveryMs?: number;
  /** A publisher pass running, or a decision waiting to be published, longer than this is reported (default 120 s). */
  maxPublishDelayMs?: number;
}

const LIVE_PER_ROUND = 100;
const FAILURES_BEFORE_DOWN = 5;
const REMIND_EVERY_MS = 60_000;
/** Longest wait between two sweeps while they fail: a round that keeps failing is not retried 4 times a second. */
const MAX_SWEEP_BACKOFF_MS = 5_000;

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
  private readonly sweeps: LoopHealth;
  private readonly publishing: LoopHealth;
  /** While sweeps fail: no sweep before this instant (the publisher still runs every tick). */
  private sweepAfterMs = -Infinity;

  constructor(private readonly o: RiskRuntimeOptions) {
    const health = {
      errorAfterFailures: o.failuresBeforeDown ?? FAILURES_BEFORE_DOWN,
      remindEveryMs: o.remindEveryMs ?? REMIND_EVERY_MS,
      unit: 'ticks',
    };
    this.sweeps = new LoopHealth('risk sweep', o.logger, health);
    this.publishing = new LoopHealth('decisions publisher', o.logger, {
      ...health,
      maxPassMs: o.maxPublishDelayMs,
      maxPendingAgeMs: o.maxPublishDelayMs,
    });
  }

  /**
   * Why the sweeps are not doing their job, for the `risk` probe; undefined when they are: they failed
   * failuresBeforeDown ticks in a row (a round that keeps failing blocks its dealer's detection), with the
   * last error, or one has been running too long.
   */
  problem(): string | undefined {
    return this.sweeps.problem(this.now());
  }

  /**
   * The `decisions-publisher` probe: rejects when the publisher failed failuresBeforeDown ticks in a row
   * (nothing reaches retention.decisions), a send has been running too long, or the oldest decision not
   * yet published is older than maxPublishDelayMs; else its state.
   */
  publisherHealth(): Promise<Record<string, unknown>> {
    return this.publishing.check(this.now(), () => oldestUnpublishedDecisionMs(this.o.ds));
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

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
          () => undefined, // recorded and logged by tick
        )
        .finally(() => {
          this.running = undefined;
          if (this.active) this.schedule(this.again ? 0 : (this.o.tickMs ?? 250));
        });
    }, ms);
  }

  /**
   * One pass: the sweeps, then the publisher whatever they did (a failing sweep never holds back the
   * decisions other rounds recorded). Each half's failures are recorded (problem(), throttled logs); after
   * both ran, rejects with the first failure. True when a sweep stopped at its round limit with timers due.
   */
  async tick(): Promise<boolean> {
    const now = this.now();
    let more = false;
    let failure: { err: unknown } | undefined;
    if (now >= this.sweepAfterMs) {
      this.sweeps.started(now);
      try {
        more = await this.sweep(now);
        this.sweeps.succeeded(this.now());
        this.sweepAfterMs = -Infinity;
      } catch (err) {
        this.sweeps.failed(err, now);
        // Doubling from one tick up to MAX_SWEEP_BACKOFF_MS.
        const tickMs = this.o.tickMs ?? 250;
        this.sweepAfterMs =
          now + Math.min(tickMs * 2 ** Math.min(this.sweeps.streak.failures - 1, 30), MAX_SWEEP_BACKOFF_MS);
        failure = { err };
      }
    }
    try {
      await this.publish();
    } catch (err) {
      this.publishing.failed(err, this.now());
      failure ??= { err };
    }
    if (failure) throw failure.err;
    return more;
  }

  private async sweep(now: number): Promise<boolean> {
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
    if (watermark === null) return false;
    // Round by round, each committed on its own (decisions reach the relay at once), two sweeps side by side.
    // All settled before the tick ends: one failing never leaves the other running into the next tick.
    const sweeps = await Promise.allSettled(
      Array.from({ length: this.o.sweepers ?? 2 }, () => sweepDue(ds, step, watermark)),
    );
    const failed = sweeps.find((x) => x.status === 'rejected');
    if (failed) throw failed.reason;
    return sweeps.some((x) => x.status === 'fulfilled' && x.value.more);
  }

  /** Drains the outbox's decisions; each batch is a pass of the publisher's health (a backlog is progress). */
  private async publish(): Promise<void> {
    const producer = this.o.producer;
    if (!producer) return;
    for (;;) {
      this.publishing.started(this.now());
      const n = await publishDecisions(this.o.ds, producer, this.o.decisionsTopic);
      this.publishing.succeeded(this.now());
      if (n === 0) return;
    }
  }

  async stop(): Promise<void> {
    this.active = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
