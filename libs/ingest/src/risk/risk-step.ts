import type { IngestEvent } from '../projections/ingest-event';
import type { Executor } from '../projections/sql';
import { fireDueTimers, type RiskEngine } from './fire-timers';
import { scheduleEvaluations } from './schedule';
import { advanceWatermark, readWatermark } from './watermark';

export interface RiskStepOptions {
  engine: RiskEngine;
  /** Input topics whose partitions make up the watermark. */
  topics: string[];
  allowedLatenessMs: number;
  /** Timers fired per transaction round; rounds repeat while a full round fired. */
  timersPerRound?: number;
  maxRounds?: number;
}

/**
 * The risk part of a batch's transaction: schedule evaluations for the applied events, advance the
 * partition's watermark, and fire every timer the watermark has passed. Decisions and their outbox
 * rows commit with the projections, or not at all.
 */
export async function riskStep(
  db: Executor,
  o: RiskStepOptions,
  batch: {
    topic: string;
    partition: number;
    caughtUp: boolean;
    valid: IngestEvent[];
    applied: IngestEvent[];
    /** Kafka heartbeat of the batch, between rounds of a long sweep. */
    heartbeat?: () => Promise<void>;
  },
): Promise<number> {
  await scheduleEvaluations(db, batch.applied);
  if (batch.valid.length > 0) {
    const newest = Math.max(...batch.valid.map((e) => e.occurredAtMs));
    await advanceWatermark(db, batch.topic, batch.partition, newest, batch.caughtUp);
  }
  const watermark = await readWatermark(db, o.topics, o.allowedLatenessMs);
  return watermark === null ? 0 : fireUpTo(db, watermark, o, batch.heartbeat);
}

/** Fires timers due at or before `watermarkMs`, in bounded rounds. */
export async function fireUpTo(
  db: Executor,
  watermarkMs: number,
  o: RiskStepOptions,
  heartbeat?: () => Promise<void>,
): Promise<number> {
  const perRound = o.timersPerRound ?? 500;
  let fired = 0;
  for (let round = 0; round < (o.maxRounds ?? 20); round++) {
    const n = await fireDueTimers(db, watermarkMs, o.engine, perRound);
    fired += n;
    if (n < perRound) break;
    await heartbeat?.();
  }
  return fired;
}
