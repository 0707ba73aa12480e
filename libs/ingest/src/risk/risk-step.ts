import type { DataSource } from 'typeorm';
import type { IngestEvent } from '../projections/ingest-event';
import type { Executor } from '../projections/sql';
import { fireDueTimers, type RiskEngine } from './fire-timers';
import { scheduleEvaluations } from './schedule';
import { advanceWatermarks, readStreamClock } from './watermark';

export interface RiskStepOptions {
  engine: RiskEngine;
  /** Input topics whose partitions make up the watermark. */
  topics: string[];
  allowedLatenessMs: number;
  /**
   * Period of telematics evaluations in event time (see snapshotEvaluationAt); default 1 day, 0 =
   * at every snapshot. Live and a replay of the same events must use the same value.
   */
  telematicsEvaluationMs?: number;
  /**
   * Timer subjects (customers, machines) fired per round, all their due rows. Default 20: bounds the state
   * loaded at once, hence memory (a 158k-event replay peaked at 470 MB RSS with 100, 313 MB with 10). Rounds
   * repeat while more are due (a round takes one dealer), at most maxRounds (default 50) per sweep.
   */
  timersPerRound?: number;
  maxRounds?: number;
  /**
   * While a backlog is read (see scheduleRisk), timers fire in stretches of this much event time: once the
   * oldest due timer is twice this far behind the watermark, everything due up to this far behind it fires
   * (sweepTarget). A backlog or replay loads each customer's state once per stretch instead of once per
   * batch, and a few old timers (a delivery dated years back) fire on their own, not with everyone else's.
   * Live, every batch sweeps to the watermark. Default 180 days: a replay of 24 months at 300,000 events ran
   * 3,800–4,100 events/s with stretches of 60 days, 5,800 with 180 (loads a third as often) and no faster with
   * 365. The history a sweep loads reaches 36 months behind its earliest due instant, so no instant sees less
   * of the past however far behind the sweep runs (LoadRiskStateOptions.evaluatedFrom).
   */
  sweepLagMs?: number;
}

const DEFAULT_SWEEP_LAG_MS = 180 * 86_400_000;
const DEFAULT_PER_ROUND = 20;
const DEFAULT_MAX_ROUNDS = 50;

/** Where a batch's due timers should be fired: up to `at`; `inline` when a lagging partition asks for it. */
export interface DueSweep {
  at: number;
  /**
   * A partition behind the stream's end found timers overdue (sweepTarget): the batch sweeps
   * itself before reading on (back-pressure in a backlog or replay). Otherwise any sweeper may do it.
   */
  inline: boolean;
}

/** The part of a batch (one partition) scheduleRisk needs. */
export interface ScheduledPart {
  topic: string;
  partition: number;
  caughtUp: boolean;
  valid: IngestEvent[];
}

/**
 * The risk part of a batch's transaction (a batch may hold several partitions' messages): schedule
 * evaluations for the applied events and advance the partitions' watermarks. Returns how the due timers
 * should be swept (see sweepDue), or null when none is due. While a backlog is read (a partition of the
 * batch is behind its end, or one of the input streams trails far behind: StreamClock.behind, whichever
 * consumer reads it), a sweep is asked for only in stretches of sweepLagMs (sweepTarget): the watermark
 * moves in small steps then, and sweeping at each would load every customer's state once per step.
 * Otherwise (live) every batch asks for one, up to the watermark.
 */
export async function scheduleRisk(
  db: Executor,
  o: RiskStepOptions,
  parts: ScheduledPart[],
  applied: IngestEvent[],
): Promise<DueSweep | null> {
  await scheduleEvaluations(db, applied, o.telematicsEvaluationMs);
  await advanceWatermarks(
    db,
    parts
      .filter((p) => p.valid.length > 0)
      .map((p) => ({
        topic: p.topic,
        partition: p.partition,
        caughtUp: p.caughtUp,
        maxEventMs: batchProgressMs(p.valid),
      })),
  );
  const clock = await readStreamClock(db, o.topics, o.allowedLatenessMs);
  if (clock === null) return null;
  const at = clock.watermarkMs;
  const lagging = parts.some((p) => !p.caughtUp);
  const caughtUp = parts.some((p) => p.caughtUp);
  // Live (no stream trails far behind): a batch holding a caught-up partition kicks the background sweeper,
  // even when the group also holds a partition a few messages short of its end.
  const live = !clock.behind && caughtUp;
  if (!lagging && live) return { at, inline: false };
  const target = await sweepTarget(db, at, o.sweepLagMs);
  // A lagging batch sweeps itself before reading on; a caught-up one hands it to the background sweeper.
  if (target !== null) return { at: target, inline: lagging };
  return live ? { at, inline: false } : null;
}

/**
 * The event-time progress a partition's batch records: its newest event, each bounded by the time it reached
 * Kafka (IngestEvent.progressMs), so a producer clock running ahead does not move everyone's watermark.
 */
export function batchProgressMs(events: IngestEvent[]): number {
  return events.reduce((max, e) => Math.max(max, e.progressMs ?? e.occurredAtMs), -Infinity);
}

/**
 * Where a sweep of a backlog whose watermark is `watermarkMs` goes, or null for no sweep yet: once the
 * oldest due timer lags the watermark by twice sweepLagMs, up to sweepLagMs behind the watermark. Each
 * stretch of sweepLagMs fires once (the watermark must move that far again before the next), and timers far
 * older than the rest of the backlog (events dated years back) fire alone instead of bringing a sweep of every
 * customer due up to the watermark — a 75-day backlog was swept twice, the first time by a few old timers.
 */
async function sweepTarget(db: Executor, watermarkMs: number, sweepLagMs?: number): Promise<number | null> {
  const target = watermarkMs - (sweepLagMs ?? DEFAULT_SWEEP_LAG_MS);
  return (await timersDueBy(db, target - (sweepLagMs ?? DEFAULT_SWEEP_LAG_MS))) ? target : null;
}

/**
 * Fires the timers due up to `watermarkMs` after the batch's projections have committed, each round in a
 * transaction of its own: a sweep holds no lock a neighbouring batch's projections need (machines, work
 * orders…), and a round's decisions reach the relay as soon as it commits, not when the whole sweep ends.
 * Timer deletion, decisions and their outbox rows commit together, so a crash between rounds loses nothing:
 * the remaining timers are still due for the next sweep. Sweeps run side by side: each round claims a dealer
 * no other sweep holds (one dealer's rounds never overlap, so no customer is evaluated twice at once).
 */
export async function sweepDue(
  ds: Pick<DataSource, 'transaction'>,
  o: RiskStepOptions,
  watermarkMs: number,
  heartbeat?: () => Promise<void>,
): Promise<Sweep> {
  return rounds(o, heartbeat, (perRound) =>
    ds.transaction(async (db) =>
      (await sweepLock(db, false)) ? fireDueTimers(db, watermarkMs, o.engine, perRound, heartbeat) : null,
    ),
  );
}

/** What a sweep did: subjects fired, and whether timers are still due (it stopped at maxRounds). */
export interface Sweep {
  fired: number;
  more: boolean;
}

type Round = { subjects: number; more: boolean } | null;

/**
 * Repeats `round` (fires up to `perRound` subjects of one dealer; null when it could not run) while more are
 * due, at most maxRounds times, with a heartbeat in between.
 */
async function rounds(
  o: RiskStepOptions,
  heartbeat: (() => Promise<void>) | undefined,
  round: (perRound: number) => Promise<Round>,
): Promise<Sweep> {
  const perRound = o.timersPerRound ?? DEFAULT_PER_ROUND;
  let fired = 0;
  for (let i = 0; i < (o.maxRounds ?? DEFAULT_MAX_ROUNDS); i++) {
    const r = await round(perRound);
    if (r === null) return { fired, more: false }; // another sweep is at it
    fired += r.subjects;
    if (!r.more) return { fired, more: false };
    await heartbeat?.();
  }
  return { fired, more: true };
}

/**
 * The instant a sweeper not driven by a batch (the ingest role's background loop) sweeps to, or null for
 * none now. Live, the watermark. While a backlog is read (StreamClock.behind), the batches' rule
 * (sweepTarget). Otherwise a loop ticking every 250 ms would fire each small step of the watermark and load
 * every due customer's state at each (an ingest role catching up on 75 days of a 4,000-machine fleet loaded
 * each customer 7 times instead of once).
 */
export async function backgroundSweepAt(
  db: Executor,
  o: Pick<RiskStepOptions, 'topics' | 'allowedLatenessMs' | 'sweepLagMs'>,
): Promise<number | null> {
  const clock = await readStreamClock(db, o.topics, o.allowedLatenessMs);
  if (clock === null) return null;
  return clock.behind ? sweepTarget(db, clock.watermarkMs, o.sweepLagMs) : clock.watermarkMs;
}

/**
 * Some timer is due at or before `atMs`: the oldest due instant, one probe of the due_at index. Written as
 * ORDER BY … LIMIT 1, not EXISTS (… due_at <= $1): before the table is first analysed (a backlog's first
 * minute fills it with 100,000 rows) the planner chose a sequential scan for the EXISTS, 20–40 ms per batch
 * when nothing matched.
 */
export async function timersDueBy(db: Executor, atMs: number): Promise<boolean> {
  const rows = await db.query<{ due_at: Date }[]>('SELECT due_at FROM risk_timers ORDER BY due_at LIMIT 1');
  return rows.length > 0 && new Date(rows[0].due_at).getTime() <= atMs;
}

/**
 * Advisory lock (transaction-scoped) on the sweeps of one schema: shared by the sweeps that run side by side
 * (each round claims a dealer of its own), exclusive for a replay's last sweep, which waits for them.
 */
async function sweepLock(db: Executor, exclusive: boolean): Promise<boolean> {
  if (exclusive) {
    await db.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema()))', [SWEEP_LOCK]);
    return true;
  }
  const rows = await db.query<{ ok: boolean }[]>(
    'SELECT pg_try_advisory_xact_lock_shared($1, hashtext(current_schema())) AS ok',
    [SWEEP_LOCK],
  );
  return rows[0]?.ok === true;
}

const SWEEP_LOCK = 727_150_320;

/**
 * Fires timers due at or before `watermarkMs`, in bounded rounds. Waits for a sweep in progress to commit
 * first, all rounds in the caller's transaction (one that holds no other locks: a replay's last sweep).
 */
export async function fireUpTo(
  db: Executor,
  watermarkMs: number,
  o: RiskStepOptions,
  heartbeat?: () => Promise<void>,
): Promise<number> {
  await sweepLock(db, true);
  const sweep = await rounds(o, heartbeat, (perRound) =>
    fireDueTimers(db, watermarkMs, o.engine, perRound, heartbeat),
  );
  return sweep.fired;
}
