import type { Kafka } from 'kafkajs';
import { createDataSource } from '@rp/database';
import type { AppConfig } from '@rp/config';
import type { Logger } from '@rp/observability';
import type { RuleSet } from '@rp/risk';
import { checkReplayName, committedPositions, ReplayJob, replaySchema } from '../run/replay-job';
import { silentProgress, type ProgressSink } from '../run/progress';
import { readRanges, type Position } from '../run/read-ranges';
import type { ReplayRun } from '../run/run-store';
import { archiveComment, archiveSchemaOf, checkArchiveFree } from './archive';
import { appliedOffsets, projectionTables, swapProjections } from './swap';

export { archiveSchemaOf } from './archive';

export interface RebuildOutcome {
  schema: string;
  archiveSchema?: string;
  tables: string[];
  handled: number;
  caughtUp: number;
  interrupted: boolean;
  alreadySwapped: boolean;
}

/** Below this many events behind live, the final catch-up runs with the live projections locked. */
const LOCKED_CATCH_UP = 5_000;

/**
 * `replay --rebuild`: rebuilds the live projections from the beginning of the input topics into a new
 * schema (projections only, no detection), catches up with what live applied meanwhile, then swaps the
 * rebuilt tables in under a short lock; the previous ones are kept in an archive schema. Resumable.
 */
export async function rebuildLive(
  env: { config: AppConfig; kafka: Kafka; logger: Logger; progress: ProgressSink },
  name: string,
  ruleSet: RuleSet,
  onJob?: (job: ReplayJob) => void,
): Promise<RebuildOutcome> {
  const { config } = env;
  const schema = replaySchema(checkReplayName(name));
  const rebuilt = createDataSource({ ...config.database, schema, poolSize: config.ingest.concurrency + 2 });
  const live = createDataSource({ ...config.database, poolSize: 2 });
  await rebuilt.initialize();
  await live.initialize();
  try {
    const swapped = await rebuilt
      .query<{ name: string }[]>(`SELECT name FROM replay_runs WHERE mode = 'rebuild'`)
      .catch(() => []);
    if (swapped.length && (await projectionTables(rebuilt, schema)).length === 0) {
      return { schema, tables: [], handled: 0, caughtUp: 0, interrupted: false, alreadySwapped: true };
    }
    // Before any reading: the swap would fail on it only after the whole replay.
    const archiveSchema = archiveSchemaOf(config.database.schema, name);
    await checkArchiveFree(live, config.database.schema, name, archiveSchema);
    const job = new ReplayJob(env, {
      name,
      mode: 'rebuild',
      kinds: ['telematics', 'warranty', 'service'],
      from: { kind: 'beginning' },
      to: { kind: 'end' },
      ruleSet,
      risk: false,
    });
    onJob?.(job);
    const outcome = await job.run();
    if (outcome.interrupted) {
      return {
        schema,
        tables: [],
        handled: outcome.handled,
        caughtUp: 0,
        interrupted: true,
        alreadySwapped: false,
      };
    }
    const run = outcome.run;
    const admin = env.kafka.admin();
    await admin.connect();
    let caughtUp = 0;
    const catchUp = async (target: Map<string, bigint>) => {
      const groupId = `${run.groupId}.catch-up`;
      const positions = await behind(admin, groupId, run, target);
      const handle = await readRanges({ ...env, progress: silentProgress }, rebuilt, {
        groupId,
        topics: run.topics,
        positions,
      });
      caughtUp += await handle.done;
      return positions.reduce((s, p) => s + Number(BigInt(p.end) - p.at), 0);
    };
    try {
      // Unlocked rounds while live keeps moving, then the last stretch with live's writers waiting.
      for (let round = 0; round < 10; round++) {
        if ((await catchUp(await appliedOffsets(live, config.database.schema))) < LOCKED_CATCH_UP) break;
      }
      const tables = await swapProjections(
        live,
        config.database.schema,
        schema,
        { schema: archiveSchema, comment: archiveComment(config.database.schema, name) },
        async (em) => {
          await catchUp(await appliedOffsets(em, config.database.schema));
        },
      );
      return {
        schema,
        archiveSchema,
        tables,
        handled: outcome.handled,
        caughtUp,
        interrupted: false,
        alreadySwapped: false,
      };
    } finally {
      await admin.disconnect();
    }
  } finally {
    await rebuilt.destroy();
    await live.destroy();
  }
}

/** From where the rebuild stands (its run's end, or the catch-up group's position) up to `target`. */
async function behind(
  admin: Parameters<typeof committedPositions>[0],
  groupId: string,
  run: ReplayRun,
  target: Map<string, bigint>,
): Promise<Position[]> {
  const ranges = run.ranges.map((r) => {
    const end = target.get(`${r.topic}:${r.partition}`) ?? BigInt(r.end);
    return { ...r, start: r.end, end: (end > BigInt(r.end) ? end : BigInt(r.end)).toString() };
  });
  return committedPositions(admin, groupId, run.topics, ranges);
}
