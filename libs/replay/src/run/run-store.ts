import type { DataSource } from 'typeorm';
import type { RuleSet } from '@rp/risk';
import type { PartitionRange } from '../plan/plan';

export type ReplayMode = 'replay' | 'rebuild';

/** The one run a replay schema records: its plan, rule set and status (what a resume continues). */
export interface ReplayRun {
  name: string;
  mode: ReplayMode;
  topics: string[];
  fromSpec: string;
  toSpec: string;
  ranges: PartitionRange[];
  groupId: string;
  ruleSet: RuleSet;
  ruleSetVersion: string;
  status: 'running' | 'complete';
  startedAt: Date;
  finishedAt: Date | null;
  resumed: number;
}

interface RunRow {
  name: string;
  mode: ReplayMode;
  topics: string[];
  from_spec: string;
  to_spec: string;
  ranges: PartitionRange[];
  group_id: string;
  rule_set: RuleSet;
  rule_set_version: string;
  status: 'running' | 'complete';
  started_at: Date;
  finished_at: Date | null;
  resumed: number;
}

const fromRow = (r: RunRow): ReplayRun => ({
  name: r.name,
  mode: r.mode,
  topics: r.topics,
  fromSpec: r.from_spec,
  toSpec: r.to_spec,
  ranges: r.ranges,
  groupId: r.group_id,
  ruleSet: r.rule_set,
  ruleSetVersion: r.rule_set_version,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  resumed: r.resumed,
});

export async function readRun(ds: DataSource): Promise<ReplayRun | null> {
  const rows = await ds.query<RunRow[]>('SELECT * FROM replay_runs LIMIT 1');
  return rows.length ? fromRow(rows[0]) : null;
}

export async function createRun(
  ds: DataSource,
  r: Omit<ReplayRun, 'status' | 'startedAt' | 'finishedAt' | 'resumed'>,
): Promise<void> {
  await ds.query(
    `INSERT INTO replay_runs (name, mode, topics, from_spec, to_spec, ranges, group_id, rule_set, rule_set_version, status)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'running')`,
    [
      r.name,
      r.mode,
      JSON.stringify(r.topics),
      r.fromSpec,
      r.toSpec,
      JSON.stringify(r.ranges),
      r.groupId,
      JSON.stringify(r.ruleSet),
      r.ruleSetVersion,
    ],
  );
}

export const markResumed = (ds: DataSource): Promise<unknown> =>
  ds.query('UPDATE replay_runs SET resumed = resumed + 1');

export const markComplete = (ds: DataSource): Promise<unknown> =>
  ds.query(`UPDATE replay_runs SET status = 'complete', finished_at = now()`);

/** Rejected input of a replay: one row per Kafka position, so a redelivered batch counts once. */
export async function recordRejections(
  ds: DataSource,
  topic: string,
  partition: number,
  rejected: { offset: string; code: string }[],
): Promise<void> {
  await ds.query(
    `INSERT INTO replay_rejections (topic, kafka_partition, kafka_offset, code)
     SELECT $1, $2, o, c FROM unnest($3::bigint[], $4::text[]) AS x(o, c) ON CONFLICT DO NOTHING`,
    [topic, partition, rejected.map((r) => r.offset), rejected.map((r) => r.code)],
  );
}
