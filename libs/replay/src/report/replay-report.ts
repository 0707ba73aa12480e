import type { DataSource } from 'typeorm';
import { readWatermark } from '@rp/ingest';
import { ReplayOptionError } from '../plan/position';
import type { ReplayRun } from '../run/run-store';

export interface Count {
  key: string;
  count: number;
}

/** Decisions of one branch: branch ids are unique only within a dealer, so the dealer is part of the key. */
export interface BranchCount {
  dealer: string;
  branch: string;
  count: number;
}

export interface ReasonDiff {
  reason: string;
  live: number;
  replay: number;
}

/** What a replay decided, and how that differs from the live decisions over the same period. */
export interface ReplayReport {
  name: string;
  /** The one dealer the decisions, suppressions and comparison are limited to; null: every dealer. */
  dealer: string | null;
  schema: string;
  status: ReplayRun['status'];
  ruleSetVersion: string;
  from: string;
  to: string;
  resumed: number;
  /** Input of every dealer (a rejected message may name no valid dealer). */
  events: { planned: number; rejected: number; rejectedByCode: Count[] };
  /** Decisions compared over [from, to] in event time: from the earliest event read to the watermark (null: nothing read). */
  period: { from: string | null; to: string | null };
  decisions: {
    total: number;
    customers: number;
    byReason: Count[];
    byBranch: BranchCount[];
    byWeek: Count[];
  };
  suppressions: { total: number; byReason: Count[] };
  /** Null when the live schema has no decisions (nothing to compare with). */
  live: {
    schema: string;
    total: number;
    /** Same id, reason and priority. */
    same: number;
    /** Same id, but a different priority, message or detection instant. */
    changed: number;
    onlyReplay: number;
    onlyLive: number;
    byReason: ReasonDiff[];
  } | null;
}

const counts = (rows: { key: string | null; count: string | number }[]): Count[] =>
  rows.map((r) => ({ key: r.key ?? '(none)', count: Number(r.count) }));

const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;

/**
 * Builds the report of the replay recorded in `ds` (its own schema). `liveSchema` names the live
 * decisions to compare with; both are read in the same database, nothing is written. With `dealerId`, the
 * decisions, suppressions and the comparison with live are that dealer's only (a replay reads every dealer
 * of its topics).
 */
export async function buildReplayReport(
  ds: DataSource,
  run: ReplayRun,
  liveSchema: string,
  allowedLatenessMs: number,
  dealerId: string | null = null,
): Promise<ReplayReport> {
  const schema = (ds.options as { schema?: string }).schema ?? 'public';
  const watermark = await readWatermark(ds, run.topics, allowedLatenessMs);
  // The period starts at the earliest event time actually read, whatever --from was (beginning, a
  // timestamp or offsets): live decisions before it are out of the replay's reach, not "only live".
  const [first] = await ds.query<{ at: Date | null }[]>(
    'SELECT min(occurred_at) AS at FROM processed_events',
  );
  const period = {
    from: first?.at ? new Date(first.at).toISOString() : null,
    to: watermark === null ? null : new Date(watermark).toISOString(),
  };
  const inPeriod = `detected_at >= coalesce($1::timestamptz, '-infinity') AND detected_at <= coalesce($2::timestamptz, '-infinity')
    AND ($3::text IS NULL OR dealer_id = $3)`;
  const args = [period.from, period.to, dealerId];
  const ofDealer = 'WHERE ($1::text IS NULL OR dealer_id = $1)';
  const q = <T>(sql: string, params: unknown[] = []) => ds.query<T[]>(sql, params);
  const liveExists =
    (
      await q<{ ok: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'decisions') AS ok`,
        [liveSchema],
      )
    )[0]?.ok === true;
  const liveSide = liveExists ? quoteIdent(liveSchema) : null;
  const [rejected, byReason, byBranch, byWeek, totals, suppressed, diff, liveByReason] = await Promise.all([
    q<{ key: string; count: string }>(
      'SELECT code AS key, count(*) AS count FROM replay_rejections GROUP BY 1 ORDER BY 2 DESC, 1',
    ),
    q<{ key: string; count: string }>(
      `SELECT reason_code AS key, count(*) AS count FROM decisions ${ofDealer} GROUP BY 1 ORDER BY 2 DESC, 1`,
      [dealerId],
    ),
    q<{ dealer: string; branch: string | null; count: string }>(
      `SELECT dealer_id AS dealer, branch_id AS branch, count(*) AS count FROM decisions ${ofDealer}
        GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`,
      [dealerId],
    ),
    q<{ key: string; count: string }>(
      `SELECT to_char(date_trunc('week', detected_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD') AS key, count(*) AS count
         FROM decisions ${ofDealer} GROUP BY 1 ORDER BY 1`,
      [dealerId],
    ),
    q<{ total: string; customers: string }>(
      `SELECT count(*) AS total, count(DISTINCT (dealer_id, customer_id)) AS customers FROM decisions ${ofDealer}`,
      [dealerId],
    ),
    q<{ key: string; count: string }>(
      `SELECT reason_code AS key, count(*) AS count FROM suppressions ${ofDealer} GROUP BY 1 ORDER BY 2 DESC, 1`,
      [dealerId],
    ),
    liveSide === null
      ? Promise.resolve([])
      : q<{ live: string; same: string; changed: string; only_replay: string; only_live: string }>(
          `WITH r AS (SELECT * FROM decisions WHERE ${inPeriod}),
            l AS (SELECT * FROM ${liveSide}.decisions WHERE ${inPeriod})
       SELECT (SELECT count(*) FROM l) AS live,
              count(*) FILTER (WHERE r.decision_id IS NOT NULL AND l.decision_id IS NOT NULL
                AND r.priority = l.priority AND r.message = l.message AND r.detected_at = l.detected_at) AS same,
              count(*) FILTER (WHERE r.decision_id IS NOT NULL AND l.decision_id IS NOT NULL
                AND NOT (r.priority = l.priority AND r.message = l.message AND r.detected_at = l.detected_at)) AS changed,
              count(*) FILTER (WHERE l.decision_id IS NULL) AS only_replay,
              count(*) FILTER (WHERE r.decision_id IS NULL) AS only_live
         FROM r FULL JOIN l ON r.dealer_id = l.dealer_id AND r.decision_id = l.decision_id`,
          args,
        ),
    liveSide === null
      ? Promise.resolve([])
      : q<{ reason: string; live: string; replay: string }>(
          `SELECT reason_code AS reason, count(*) FILTER (WHERE side = 'live') AS live, count(*) FILTER (WHERE side = 'replay') AS replay
         FROM (SELECT reason_code, 'replay' AS side FROM decisions WHERE ${inPeriod}
               UNION ALL SELECT reason_code, 'live' FROM ${liveSide}.decisions WHERE ${inPeriod}) x
        GROUP BY 1 ORDER BY 1`,
          args,
        ),
  ]);
  const planned = run.ranges.reduce((s, r) => s + Number(BigInt(r.end) - BigInt(r.start)), 0);
  const d = diff[0];
  return {
    name: run.name,
    dealer: dealerId,
    schema,
    status: run.status,
    ruleSetVersion: run.ruleSetVersion,
    from: run.fromSpec,
    to: run.toSpec,
    resumed: run.resumed,
    events: {
      planned,
      rejected: rejected.reduce((s, r) => s + Number(r.count), 0),
      rejectedByCode: counts(rejected),
    },
    period,
    decisions: {
      total: Number(totals[0].total),
      customers: Number(totals[0].customers),
      byReason: counts(byReason),
      byBranch: byBranch.map((r) => ({
        dealer: r.dealer,
        branch: r.branch ?? '(none)',
        count: Number(r.count),
      })),
      byWeek: counts(byWeek),
    },
    suppressions: {
      total: suppressed.reduce((s, r) => s + Number(r.count), 0),
      byReason: counts(suppressed),
    },
    live:
      d === undefined
        ? null
        : {
            schema: liveSchema,
            total: Number(d.live),
            same: Number(d.same),
            changed: Number(d.changed),
            onlyReplay: Number(d.only_replay),
            onlyLive: Number(d.only_live),
            byReason: liveByReason.map((r) => ({
              reason: r.reason,
              live: Number(r.live),
              replay: Number(r.replay),
            })),
          },
  };
}

/**
 * `--dealer` names a dealer whose events the replay read; otherwise a ReplayOptionError listing the dealers
 * it did read (the replay itself is kept: the same command with another dealer reports at once).
 */
export async function checkReportDealer(ds: DataSource, dealerId: string): Promise<void> {
  const [hit] = await ds.query<unknown[]>('SELECT 1 FROM processed_events WHERE dealer_id = $1 LIMIT 1', [
    dealerId,
  ]);
  if (hit !== undefined) return;
  const known = await ds.query<{ dealer_id: string }[]>(
    'SELECT DISTINCT dealer_id FROM processed_events ORDER BY 1 LIMIT 11',
  );
  const list = known.map((d) => d.dealer_id);
  throw new ReplayOptionError(
    `--dealer ${dealerId}: the replay read no event of that dealer` +
      (list.length > 0
        ? ` (dealers read: ${list.slice(0, 10).join(', ')}${list.length > 10 ? ', …' : ''})`
        : ' (it read no event)'),
  );
}
