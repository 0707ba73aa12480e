import type { Admin, Kafka } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@rp/config';
import type { TopicKind } from '@rp/contracts';
import { createDataSource, runMigrations } from '@rp/database';
import {
  DEFAULT_VALUE_SETTINGS,
  fireUpTo,
  loadRiskState,
  readWatermark,
  registerPartitions,
  type RiskStepOptions,
} from '@rp/ingest';
import type { Logger } from '@rp/observability';
import type { RuleSet } from '@rp/risk';
import { resolvePlan, type PartitionRange } from '../plan/plan';
import { describePosition, ReplayOptionError, type Position as StartOrEnd } from '../plan/position';
import { assertSameSpec } from './resume-check';
import type { ProgressSink } from './progress';
import { readRanges, type Position, type ReadHandle } from './read-ranges';
import { createRun, markComplete, markResumed, readRun, type ReplayMode, type ReplayRun } from './run-store';

const NAME = /^[a-z][a-z0-9_]{0,39}$/;

export interface ReplayParams {
  /** Names the replay: its schema is `replay_<name>`, its consumer group `<group>.replay.<name>`. */
  name: string;
  mode?: ReplayMode;
  /** Which input topics (by contract kind) to read. */
  kinds: TopicKind[];
  from: StartOrEnd;
  to: StartOrEnd;
  /** The rule set to decide with; a resume refuses one whose content differs from the stored one. */
  ruleSet: RuleSet;
  /** Detection on (default); a rebuild of the projections turns it off. */
  risk?: boolean;
  /** Given with --rule-set (else the active one): only words the refusal of a resume. */
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

/** A replay's name must make a plain SQL identifier (its schema) and consumer group suffix; `flag` names it. */
export function checkReplayName(name: string, flag = '--name'): string {
  if (!NAME.test(name)) {
    throw new ReplayOptionError(
      `${flag} "${name}": use 1–40 lower-case letters, digits or _ starting with a letter`,
    );
  }
  return name;
}

/**
 * One replay: reads bounded ranges of the input topics in its own consumer group into its own schema,
 * through the same ingest handler and risk engine as live, with the chosen rule set. Rejections are
 * recorded in the schema, never dead-lettered; nothing is published and no job is queued. Resumable:
 * the plan lives in the schema, positions in the consumer group, and processed keys make a re-read
 * batch a no-op.
 */
export class ReplayJob {
  private reading?: ReadHandle;
  private stopped = false;

  constructor(
    private readonly env: ReplayEnv,
    private readonly p: ReplayParams,
  ) {
    checkReplayName(p.name);
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
      // A new replay's plan is checked before its schema is created: a refused one leaves nothing behind.
      const fresh =
        (await ds.query<unknown[]>('SELECT 1 FROM pg_namespace WHERE nspname = $1', [this.schema])).length ===
        0;
      const planned = fresh ? await this.plan(admin) : undefined;
      await runMigrations(ds);
      const { run, resumed } = await this.openRun(ds, admin, planned);
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
    await this.reading?.stop();
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

  private async openRun(
    ds: DataSource,
    admin: Admin,
    planned?: PartitionRange[],
  ): Promise<{ run: ReplayRun; resumed: boolean }> {
    const existing = await readRun(ds);
    const topics = this.topicsOf(this.p.kinds);
    if (existing) {
      // A changed plan or rule set is never resumed silently: the run would not be what was asked for.
      assertSameSpec(
        this.p.name,
        existing,
        {
          topics,
          from: this.p.from,
          to: this.p.to,
          ruleSet: this.p.risk === false ? undefined : this.p.ruleSet,
        },
        {
          topic: (name) => this.kindOf(name),
          ruleSet: this.p.ruleSetChosen ? '--rule-set' : 'the active rule set',
        },
        this.p.mode,
      );
      if (existing.status === 'running') await markResumed(ds);
      return { run: existing, resumed: existing.status === 'running' };
    }
    const ranges = planned ?? (await this.plan(admin));
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

  /** The ranges to read; an empty plan is refused (it would be "complete" and "identical" to live). */
  private async plan(admin: Admin): Promise<PartitionRange[]> {
    const ranges = await resolvePlan(admin, this.topicsOf(this.p.kinds), this.p.from, this.p.to);
    if (ranges.every((r) => BigInt(r.start) >= BigInt(r.end))) {
      throw new ReplayOptionError(
        `nothing to replay: --from ${describePosition(this.p.from)} --to ${describePosition(this.p.to)} ` +
          `selects no event of ${this.p.kinds.join(', ')} ` +
          `(${ranges.map((r) => `${r.topic}:${r.partition} ${r.start}..${r.end}`).join(', ') || 'no partition'})`,
      );
    }
    return ranges;
  }

  private kindOf(topic: string): string {
    const t = this.env.config.topics;
    const kinds: Record<string, string> = {
      [t.telematics]: 'telematics',
      [t.warranty]: 'warranty',
      [t.service]: 'service',
    };
    return kinds[topic] ?? topic;
  }

  private stepOptions(run: ReplayRun): RiskStepOptions {
    return {
      engine: { ruleSet: run.ruleSet, value: DEFAULT_VALUE_SETTINGS, loadState: loadRiskState },
      topics: run.topics,
      allowedLatenessMs: this.env.config.risk.allowedLatenessMs,
      telematicsEvaluationMs: this.env.config.risk.telematicsEvaluationMs,
    };
  }

  private async read(ds: DataSource, admin: Admin, run: ReplayRun): Promise<number> {
    const handle = await readRanges(this.env, ds, {
      groupId: run.groupId,
      topics: run.topics,
      positions: await committedPositions(admin, run.groupId, run.topics, run.ranges),
      risk: this.p.risk === false ? undefined : this.stepOptions(run),
    });
    this.reading = handle;
    if (this.stopped) await handle.stop();
    const handled = await handle.done;
    if (handle.stopped()) this.stopped = true;
    return handled;
  }

  /** Fires every timer the final watermark has passed (event time only: a replay never reads the clock). */
  private async fireRemaining(ds: DataSource, step: RiskStepOptions): Promise<void> {
    const watermark = await readWatermark(ds, step.topics, step.allowedLatenessMs);
    if (watermark === null || this.p.risk === false) return;
    while ((await ds.transaction((em) => fireUpTo(em, watermark, step))) > 0) {
      /* until nothing is due */
    }
  }
}

export const versionOf = (r: RuleSet): string => `${r.id}@${r.version}`;

/** Where each partition continues: the group's committed offset within the range, else the start. */
export async function committedPositions(
  admin: Admin,
  groupId: string,
  topics: string[],
  ranges: PartitionRange[],
): Promise<Position[]> {
  const committed = await admin.fetchOffsets({ groupId, topics });
  return ranges.map((r) => {
    const c = committed.find((t) => t.topic === r.topic)?.partitions.find((p) => p.partition === r.partition);
    const at = c && BigInt(c.offset) >= BigInt(r.start) ? BigInt(c.offset) : BigInt(r.start);
    return { ...r, at: at > BigInt(r.end) ? BigInt(r.end) : at };
  });
}
