import { CompressionTypes, type Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { TopicKind } from '@rp/contracts';
import type { Logger, Metrics } from '@rp/observability';
import { chunkBySize, deadLetter, type Rejected } from './consumer/dead-letter';
import type { BatchContext } from './consumer/batch-consumer';
import { GroupCommit } from './consumer/group-commit';
import { isTransient } from '@rp/database';
import { parseBatch } from './ingest-batch';
import { applyEvents, isKnownEventKey } from './projections/apply-events';
import type { IngestEvent } from './projections/ingest-event';
import { scheduleRisk, sweepDue, type DueSweep, type RiskStepOptions } from './risk/risk-step';
import { markCaughtUp } from './risk/watermark';

export interface IngestHandlerDeps {
  ds: DataSource;
  /** Publishes rejected input to the DLQ; not needed when `rejectedSink` takes the rejections. */
  producer?: Producer;
  metrics: Metrics;
  logger?: Logger;
  /** Input topic name → which part of the contract it carries. */
  topicKinds: Record<string, TopicKind>;
  dlqTopicOf: (topic: string) => string;
  maxFutureSkewMs?: number;
  /** Detection: evaluations scheduled in the batch's transaction, due timers fired right after it in one of
   * their own (decisions, outbox, timers); off when absent. */
  risk?: RiskStepOptions;
  /**
   * Hands a caught-up batch's sweep to a background detection loop (the ingest role's RiskRuntime) instead
   * of sweeping inline: live, the partition goes on consuming while its due timers fire. A batch behind the
   * stream's end (backlog, replay) still sweeps inline, which holds the backlog of due timers bounded.
   */
  onDue?: (watermarkMs: number) => void;
  /** Wall clock of the edge (injectable for tests). */
  now?: () => Date;
  /**
   * Where rejected input goes. Default: the source topic's DLQ. A replay passes its own sink so that
   * nothing is published to live topics (it counts the rejections for its report instead).
   */
  rejectedSink?: (rejected: Rejected[], topic: string, partition: number) => Promise<void>;
}

/**
 * Handles a batch; `caughtUp` is the BatchConsumer's `onCaughtUp`: a partition read to its end through records
 * never handed over (a transaction's marker) counts as caught up, as a batch reaching the end does.
 */
export type IngestHandler = ((b: BatchContext) => Promise<void>) & {
  caughtUp: (topic: string, partition: number) => Promise<void>;
};

/** kafkajs errors (e.g. the heartbeat of a member whose partition moved): the batch stops, uncommitted. */
const isKafkaError = (err: unknown): boolean =>
  typeof (err as { name?: unknown })?.name === 'string' &&
  (err as { name: string }).name.startsWith('KafkaJS');

/** One partition's batch, validated, waiting for its group's transaction. */
interface Member {
  b: BatchContext;
  valid: IngestEvent[];
  rejected: Rejected[];
}

/** What a member's handler does after the group committed. */
interface Outcome {
  applied: number;
  due: DueSweep | null;
}

const laterSweep = (a: DueSweep | null, b: DueSweep | null): DueSweep | null =>
  a === null ? b : b === null ? a : { at: Math.max(a.at, b.at), inline: a.inline || b.inline };

/** A valid event the database refused, one at a time. */
interface Failure {
  m: Member;
  offset: string;
  err: unknown;
}

interface Isolated {
  outcome: Outcome;
  failed: Failure[];
}

/** Events per shared transaction, at most (a single partition's batch may exceed it). */
const GROUP_EVENTS = 4_000;

const partKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * One batch: validate, apply the valid events in one transaction (processed keys + projections), then
 * dead-letter the invalid ones. Batches of several partitions handed over together (one kafkajs fetch) share
 * that transaction (group commit: fewer, larger transactions); each partition's offsets are still committed
 * by its own handler call, after the shared transaction committed. Only a transient failure escapes (the
 * consumer retries the batch).
 */
export function createIngestHandler(d: IngestHandlerDeps): IngestHandler {
  const now = d.now ?? (() => new Date());
  const events = d.metrics.counter('rp_ingest_events_total', 'Input events by topic and outcome', [
    'topic',
    'outcome',
  ]);
  const batchSeconds = d.metrics.histogram('rp_ingest_batch_seconds', 'Time to apply one batch', ['topic']);
  const rejectedByCode = d.metrics.counter(
    'rp_ingest_rejected_total',
    'Input events rejected (dead-lettered) by topic and error code (the x-error-code header)',
    ['topic', 'code'],
  );
  const onDue = d.onDue;

  // Keys go in expecting every event to be new (the cheaper plain insert); a batch holding a redelivered
  // event fails on its key and is applied again with ON CONFLICT, and so are the next batches for a while
  // (redeliveries come in runs: a restart, a rebalance, a producer sending again).
  let dedupBatches = 0;
  const DEDUP_RUN = 20;

  /** One transaction for the members' valid events; the due sweep as scheduleRisk asks for it. */
  const apply = async (members: Member[], valid: IngestEvent[]) => {
    if (dedupBatches > 0) {
      dedupBatches--;
      return applyOnce(members, valid, false);
    }
    try {
      return await applyOnce(members, valid, true);
    } catch (err) {
      if (!isKnownEventKey(err)) throw err;
      dedupBatches = DEDUP_RUN;
      return applyOnce(members, valid, false);
    }
  };

  const applyOnce = (members: Member[], valid: IngestEvent[], expectNew: boolean) =>
    d.ds.transaction(async (em) => {
      const { applied } = await applyEvents(em, valid, { expectNew });
      await members[0].b.heartbeat(); // a long batch stays in the group (throws if a rebalance is under way)
      const byPart = new Map<string, IngestEvent[]>();
      for (const e of valid) {
        const k = partKey(e.topic, e.partition);
        const list = byPart.get(k);
        if (list === undefined) byPart.set(k, [e]);
        else list.push(e);
      }
      const parts = members.map(({ b }) => ({
        ...b,
        valid: byPart.get(partKey(b.topic, b.partition)) ?? [],
      }));
      const due = d.risk ? await scheduleRisk(em, d.risk, parts, applied) : null;
      return { applied, due };
    });

  const permanent = (err: unknown) => !(isTransient(err) || isKafkaError(err));
  const logFailure = (err: unknown, what: string, members: Member[]) =>
    d.logger?.error(
      {
        err: err instanceof Error ? err.message : String(err),
        partitions: members.map(({ b }) => `${b.topic}:${b.partition}`),
      },
      what,
    );

  /**
   * A permanent database error on valid input (should not happen): find the culprit one event at a time
   * so its neighbours are still applied. Its failures are returned; runGroup dead-letters them. A failure of
   * the database rather than of the event is transient (isTransient: read-only, unmigrated, auth…) and
   * never gets here.
   */
  const isolate = async (m: Member): Promise<Isolated> => {
    let applied = 0;
    let due: DueSweep | null = null;
    const failed: Failure[] = [];
    for (const e of m.valid) {
      await m.b.heartbeat();
      try {
        const r = await apply([m], [e]);
        applied += r.applied.length;
        due = laterSweep(due, r.due);
      } catch (err) {
        if (!permanent(err)) throw err;
        failed.push({ m, offset: e.offset, err });
      }
    }
    return { outcome: { applied, due }, failed };
  };

  const runGroup = async (members: Member[]): Promise<Outcome[]> => {
    const withValid = members.filter((m) => m.valid.length > 0);
    const none: Outcome = { applied: 0, due: null };
    if (withValid.length === 0) return members.map(() => none);
    try {
      const r = await apply(
        withValid,
        withValid.flatMap((m) => m.valid),
      );
      const counts = new Map<string, number>();
      for (const e of r.applied) {
        const k = partKey(e.topic, e.partition);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      // One sweep per group: asked of its first member.
      return members.map((m) => ({
        applied: counts.get(partKey(m.b.topic, m.b.partition)) ?? 0,
        due: m === withValid[0] ? r.due : null,
      }));
    } catch (err) {
      if (!permanent(err)) throw err;
      logFailure(err, 'batch failed permanently; isolating', withValid);
    }
    const outcomes = new Map<Member, Outcome>();
    const failed: Failure[] = [];
    const isolateInto = async (m: Member) => {
      const r = await isolate(m);
      outcomes.set(m, r.outcome);
      failed.push(...r.failed);
    };
    for (const m of withValid) {
      if (withValid.length === 1) {
        await isolateInto(m);
        continue;
      }
      try {
        const r = await apply([m], m.valid);
        outcomes.set(m, { applied: r.applied.length, due: r.due });
      } catch (err) {
        if (!permanent(err)) throw err;
        await isolateInto(m);
      }
    }
    for (const f of failed) {
      f.m.rejected.push({
        message: f.m.b.messages.find((x) => x.offset === f.offset)!,
        code: 'PROJECTION_FAILED',
        reason: f.err instanceof Error ? f.err.message : String(f.err),
      });
    }
    return members.map((m) => outcomes.get(m) ?? none);
  };
  // Two transactions in flight: one is applied by Postgres while the next is parsed and sent. A burst's
  // fetch (many full partitions) is cut into groups of about GROUP_EVENTS events.
  const group = new GroupCommit<Member, Outcome>(runGroup, {
    maxInFlight: 2,
    weight: (m) => Math.max(1, m.valid.length),
    maxWeight: GROUP_EVENTS,
  });

  /** The batch's events are committed: a failing sweep leaves its timers due (retried by the next one). */
  const sweep = async (b: BatchContext, due: DueSweep | null) => {
    if (due === null || !d.risk) return;
    if (!due.inline && onDue) return onDue(due.at);
    try {
      await sweepDue(d.ds, d.risk, due.at, b.heartbeat);
    } catch (err) {
      if (!permanent(err)) throw err;
      logFailure(err, 'risk sweep failed; its timers stay due', [{ b, valid: [], rejected: [] }]);
    }
  };

  const handle = async (b: BatchContext): Promise<void> => {
    const stop = batchSeconds.startTimer({ topic: b.topic });
    const kind = d.topicKinds[b.topic];
    if (!kind) throw new Error(`no contract kind configured for topic ${b.topic}`);
    const { valid, rejected } = parseBatch(b.messages, {
      topic: b.topic,
      partition: b.partition,
      kind,
      receivedAt: now(),
      maxFutureSkewMs: d.maxFutureSkewMs,
    });
    const { applied, due } = await group.submit({ b, valid, rejected });
    if (d.risk && valid.length === 0 && b.caughtUp) await markCaughtUp(d.ds, b.topic, b.partition);
    await sweep(b, due);
    if (rejected.length && d.rejectedSink) {
      await d.rejectedSink(rejected, b.topic, b.partition);
    } else if (rejected.length) {
      if (!d.producer) throw new Error('ingest handler: rejected input but neither a producer nor a sink');
      const failedAt = now();
      const copies = rejected.map((r) => deadLetter(r, b.topic, b.partition, failedAt));
      // In sends of bounded size: one send of a full fetch of one key's rejects is a record batch above the
      // DLQ topic's limit. Compressed: a copy of a compressed oversize input stays about its input's size.
      for (const messages of chunkBySize(copies)) {
        await d.producer.send({
          topic: d.dlqTopicOf(b.topic),
          acks: -1,
          compression: CompressionTypes.GZIP,
          messages,
        });
      }
    }
    events.inc({ topic: b.topic, outcome: 'applied' }, applied);
    events.inc(
      { topic: b.topic, outcome: 'duplicate' },
      valid.length - applied - rejected.filter((r) => r.code === 'PROJECTION_FAILED').length,
    );
    events.inc({ topic: b.topic, outcome: 'rejected' }, rejected.length);
    for (const r of rejected) rejectedByCode.inc({ topic: b.topic, code: r.code });
    stop();
  };
  const caughtUp = async (topic: string, partition: number): Promise<void> => {
    if (d.risk) await markCaughtUp(d.ds, topic, partition);
  };
  return Object.assign(handle, { caughtUp });
}
