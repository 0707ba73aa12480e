import type { Admin, Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { dlqTopic, type AppConfig } from '@rp/config';
import type { TopicKind } from '@rp/contracts';
import { createDataSource, runMigrations } from '@rp/database';
import {
  BatchConsumer,
  createIngestHandler,
  DEFAULT_VALUE_SETTINGS,
  fireUpTo,
  loadRiskState,
  readWatermark,
  registerPartitions,
  type RiskStepOptions,
} from '@rp/ingest';
import { Metrics, type Logger } from '@rp/observability';
import type { RuleSet } from '@rp/risk';
import { resolvePlan, type PartitionRange } from '../plan/plan';
import { describePosition, ReplayOptionError, type Position } from '../plan/position';
import type { ProgressSink } from './progress';
import {
  createRun,
  markComplete,
  markResumed,
  readRun,
  recordRejections,
  type ReplayMode,
  type ReplayRun,
} from './run-store';

const NAME = /^[a-z][a-z0-9_]{0,39}$/;

export interface ReplayParams {
  /** Names the replay: its schema is `replay_<name>`, its consumer group `<group>.replay.<name>`. */
  name: string;
  mode?: ReplayMode;
  /** Which input topics (by contract kind) to read. */
  kinds: TopicKind[];
  from: Position;
  to: Position;
  /** The rule set to decide with; a resumed replay keeps the one it started with. */
  ruleSet: RuleSet;
  /** Explicitly chosen (a resume refuses a different one); else the run's own is kept. */
  ruleSetChosen?: boolean;
}

export interface ReplayEnv {
  config: AppConfig;
  kafka: Kafka;
  logger: Logger;
  progress: ProgressSink;
}

export interface ReplayOutcome {
  schema: string;
  run: ReplayRun;
  resumed: boolean;
  /** The replay was already complete: nothing was read. */
  alreadyComplete: boolean;
  /** Events handled by this invocation, and how long it took. */
  handled: number;
  elapsedMs: number;
  interrupted: boolean;
}

export const replaySchema = (name: string): string => `replay_${name}`;

/**
 * One replay: reads bounded ranges of the input topics in its own consumer group into its own schema,
 * through the same ingest handler and risk engine as live, with the chosen rule set. Rejections are
 * recorded in the schema, never dead-lettered; nothing is published and no job is queued. Resumable:
 * the plan lives in the schema, positions in the consumer group, and processed keys make a re-read
 * batch a no-op.
 */
export class ReplayJob {
  private consumer?: BatchConsumer;
  private stopped = false;
  private finishRead?: () => void;

  constructor(
    private readonly env: ReplayEnv,
    private readonly p: ReplayParams,
  ) {
    if (!NAME.test(p.name)) {
      throw new ReplayOptionError(
        `--name "${p.name}": use 1–40 lower-case letters, digits or _ starting with a letter`,
      );
    }
    if (p.kinds.length === 0) throw new ReplayOptionError('--topics: choose at least one input topic');
  }

  get schema(): string {
    return replaySchema(this.p.name);
  }

  async run(): Promise<ReplayOutcome> {
    const { config } = this.env;
    const ds = createDataSource({
      ...config.database,
      schema: this.schema,
      poolSize: config.ingest.concurrency + 2,
    });
    await ds.initialize();
    const admin = this.env.kafka.admin();
    await admin.connect();
    const started = Date.now();
    try {
      await runMigrations(ds);
      const { run, resumed } = await this.openRun(ds, admin);
      if (run.status === 'complete') {
        return {
          schema: this.schema,
          run,
          resumed,
          alreadyComplete: true,
          handled: 0,
          elapsedMs: 0,
          interrupted: false,
        };
      }
      const handled = await this.read(ds, admin, run);
      if (this.stopped) {
        return {
          schema: this.schema,
          run,
          resumed,
          alreadyComplete: false,
          handled,
          elapsedMs: Date.now() - started,
          interrupted: true,
        };
      }
      await this.fireRemaining(ds, this.stepOptions(run));
      await markComplete(ds);
      const done = (await readRun(ds))!;
      return {
        schema: this.schema,
        run: done,
        resumed,
        alreadyComplete: false,
        handled,
        elapsedMs: Date.now() - started,
        interrupted: false,
      };
    } finally {
      await admin.disconnect();
      await ds.destroy();
    }
  }

  /** Stops reading (the batch in flight commits); the run stays resumable. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer?.stop();
    this.finishRead?.();
  }

  private topicsOf(kinds: TopicKind[]): string[] {
    const t = this.env.config.topics;
    const byKind: Record<TopicKind, string> = {
      telematics: t.telematics,
      warranty: t.warranty,
      service: t.service,
    };
    return [...new Set(kinds)].map((k) => byKind[k]);
  }

  private async openRun(ds: DataSource, admin: Admin): Promise<{ run: ReplayRun; resumed: boolean }> {
    const existing = await readRun(ds);
    const topics = this.topicsOf(this.p.kinds);
    if (existing) {
      if (this.p.ruleSetChosen && existing.ruleSetVersion !== versionOf(this.p.ruleSet)) {
        throw new ReplayOptionError(
          `replay "${this.p.name}" was started with rule set ${existing.ruleSetVersion}, not ${versionOf(this.p.ruleSet)}: ` +
            'resume it without --rule-set, or choose another --name',
        );
      }
      if (existing.status === 'running') await markResumed(ds);
      return { run: existing, resumed: existing.status === 'running' };
    }
    const ranges = await resolvePlan(admin, topics, this.p.from, this.p.to);
    const run = {
      name: this.p.name,
      mode: this.p.mode ?? 'replay',
      topics,
      fromSpec: describePosition(this.p.from),
      toSpec: describePosition(this.p.to),
      ranges,
      groupId: `${this.env.config.kafka.groupId}.replay.${this.p.name}`,
      ruleSet: this.p.ruleSet,
      ruleSetVersion: versionOf(this.p.ruleSet),
    };
    await createRun(ds, run);
    await registerPartitions(
      ds,
      ranges.map((r) => ({
        topic: r.topic,
        partition: r.partition,
        empty: BigInt(r.start) >= BigInt(r.end),
      })),
    );
    return { run: (await readRun(ds))!, resumed: false };
  }

  private stepOptions(run: ReplayRun): RiskStepOptions {
    return {
      engine: { ruleSet: run.ruleSet, value: DEFAULT_VALUE_SETTINGS, loadState: loadRiskState },
      topics: run.topics,
      allowedLatenessMs: this.env.config.risk.allowedLatenessMs,
    };
  }

  /** Where each partition continues: the group's committed offset within the range, else the start. */
  private async positions(admin: Admin, run: ReplayRun): Promise<(PartitionRange & { at: bigint })[]> {
    const committed = await admin.fetchOffsets({ groupId: run.groupId, topics: run.topics });
    return run.ranges.map((r) => {
      const c = committed
        .find((t) => t.topic === r.topic)
        ?.partitions.find((p) => p.partition === r.partition);
      const at = c && BigInt(c.offset) >= BigInt(r.start) ? BigInt(c.offset) : BigInt(r.start);
      return { ...r, at: at > BigInt(r.end) ? BigInt(r.end) : at };
    });
  }

  private async read(ds: DataSource, admin: Admin, run: ReplayRun): Promise<number> {
    const { config, logger, progress } = this.env;
    const positions = await this.positions(admin, run);
    const key = (topic: string, partition: number) => `${topic}:${partition}`;
    const total = positions.reduce((s, r) => s + Number(BigInt(r.end) - BigInt(r.start)), 0);
    const doneBefore = positions.reduce((s, r) => s + Number(r.at - BigInt(r.start)), 0);
    const next = new Map(positions.map((r) => [key(r.topic, r.partition), r.at]));
    const pending = new Set(
      positions.filter((r) => r.at < BigInt(r.end)).map((r) => key(r.topic, r.partition)),
    );
    progress.start(total, doneBefore);
    if (pending.size === 0) return 0;
    const t = config.topics;
    const kinds: Record<string, TopicKind> = {
      [t.telematics]: 'telematics',
      [t.warranty]: 'warranty',
      [t.service]: 'service',
    };
    const handle = createIngestHandler({
      ds,
      metrics: new Metrics(false),
      logger,
      topicKinds: kinds,
      dlqTopicOf: dlqTopic,
      maxFutureSkewMs: config.ingest.maxFutureSkewMs,
      risk: this.stepOptions(run),
      rejectedSink: (rejected, topic, partition) =>
        recordRejections(
          ds,
          topic,
          partition,
          rejected.map((r) => ({ offset: r.message.offset, code: r.code })),
        ),
    });
    const finished = new Promise<void>((resolve) => (this.finishRead = resolve));
    const done = () =>
      [...next.entries()].reduce((s, [k, at]) => {
        const r = positions.find((x) => key(x.topic, x.partition) === k)!;
        return s + Number(at - BigInt(r.start));
      }, 0);
    this.consumer = new BatchConsumer(this.env.kafka, {
      groupId: run.groupId,
      topics: run.topics,
      fromBeginning: true,
      partitionsConcurrently: config.ingest.concurrency,
      handle,
      logger,
      endOffsets: Object.fromEntries(run.ranges.map((r) => [key(r.topic, r.partition), r.end])),
      seekTo: positions
        .filter((r) => r.at < BigInt(r.end))
        .map((r) => ({ topic: r.topic, partition: r.partition, offset: r.at.toString() })),
      onProgress: (p) => {
        next.set(key(p.topic, p.partition), BigInt(p.next));
        progress.update(done());
        if (p.done) pending.delete(key(p.topic, p.partition));
        if (pending.size === 0) this.finishRead?.();
      },
      onFatal: (err) => {
        logger.error({ err: err.message }, 'replay consumer crashed; run the command again to resume');
        this.stopped = true;
        this.finishRead?.();
      },
    });
    await this.consumer.start();
    await finished;
    await this.consumer.stop();
    progress.update(done());
    progress.stop();
    return done() - doneBefore;
  }

  /** Fires every timer the final watermark has passed (event time only: a replay never reads the clock). */
  private async fireRemaining(ds: DataSource, step: RiskStepOptions): Promise<void> {
    const watermark = await readWatermark(ds, step.topics, step.allowedLatenessMs);
    if (watermark === null) return;
    while ((await ds.transaction((em) => fireUpTo(em, watermark, step))) > 0) {
      /* until nothing is due */
    }
  }
}

export const versionOf = (r: RuleSet): string => `${r.id}@${r.version}`;
