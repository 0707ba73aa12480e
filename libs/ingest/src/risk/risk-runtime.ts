import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { Logger } from '@rp/observability';
import { publishDecisions } from './outbox-publisher';
import { sweepDue, type RiskStepOptions } from './risk-step';
import { readWatermark } from './watermark';
import { quietWatermark } from './wall-clock';

export interface RiskRuntimeOptions {
  ds: DataSource;
  /** Publishes the outbox's decisions to `decisionsTopic` when set. */
  producer?: Producer;
  decisionsTopic: string;
  step: RiskStepOptions;
  quietMs: number;
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

/**
 * The background half of the risk engine in the ingest role: fires timers the watermark has passed but
 * no batch fired yet (batches fire a bounded number each), lets time follow the wall clock when the
 * stream is caught up and quiet, and publishes recorded decisions from the outbox to Kafka.
 */
export class RiskRuntime {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly o: RiskRuntimeOptions) {}

  start(): void {
    const loop = () => {
      this.running = this.tick()
        .catch((err: unknown) =>
          this.o.logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'risk tick failed'),
        )
        .finally(() => {
          if (this.timer) this.timer = setTimeout(loop, this.o.tickMs ?? 250);
        });
    };
    this.timer = setTimeout(loop, this.o.tickMs ?? 250);
  }

  async tick(): Promise<void> {
    const now = (this.o.now ?? Date.now)();
    const { ds, step } = this.o;
    let quiet = await quietWatermark(ds, step.topics, now, step.allowedLatenessMs, this.o.quietMs);
    if (quiet !== null && this.o.readAll && !(await this.o.readAll())) quiet = null;
    const watermark = quiet ?? (await readWatermark(ds, step.topics, step.allowedLatenessMs));
    // Round by round, each committed on its own (decisions reach the relay at once); skipped while a batch sweeps.
    if (watermark !== null) await sweepDue(ds, step, watermark);
    const producer = this.o.producer;
    if (!producer) return;
    while ((await publishDecisions(ds, producer, this.o.decisionsTopic)) > 0) {
      /* drain */
    }
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
