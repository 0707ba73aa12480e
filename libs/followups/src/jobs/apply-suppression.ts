import type { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { REASON_FAMILIES, SUPPRESSION_CODES, type SuppressionCode } from '@rp/risk';

/** Job name of a suppression (the ingest role's `suppression` outbox rows). */
export const SUPPRESSION_JOB = 'suppression';

/** A job id part: BullMQ refuses ':' in custom ids; dots separate the parts (as in job-names.ts). */
const part = (s: string): string => encodeURIComponent(s).replace(/\./g, '%2E');

/** `suppression.<dealer>.<suppressionId>`: the same outbox row always becomes the same job. */
export const suppressionJobId = (dealerId: string, suppressionId: string): string =>
  `suppression.${part(dealerId)}.${part(suppressionId)}`;

/** Data of a suppression job: the outbox envelope (trusted) and the suppression payload (validated). */
export interface SuppressionJobData {
  outboxId: string;
  dealerId: string;
  suppressionId: string;
  suppression: unknown;
}

/** The suppression as the follow-up layer needs it (a subset of @rp/risk's Suppression). */
export interface FollowupSuppression {
  id: string;
  dealerId: string;
  customerId: string;
  serialNumber: string;
  reasonCode: SuppressionCode;
  sinceMs: number;
}

const text = z.string().min(1);
const schema = z.object({
  id: text,
  dealerId: text,
  customerId: text,
  serialNumber: text,
  reasonCode: z.enum(SUPPRESSION_CODES),
  sinceMs: z.number().int().nonnegative(),
});

/** Validates a recorded suppression; returns the reason it can never be applied, or the suppression. */
export function parseSuppression(
  payload: unknown,
  envelope: { dealerId: string; suppressionId: string },
): { ok: true; suppression: FollowupSuppression } | { ok: false; reason: string } {
  const r = schema.safeParse(payload);
  if (!r.success) {
    const issue = r.error.issues[0];
    return {
      ok: false,
      reason: `invalid suppression: ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    };
  }
  if (r.data.dealerId !== envelope.dealerId || r.data.id !== envelope.suppressionId) {
    return { ok: false, reason: 'invalid suppression: dealerId or id differs from its outbox row' };
  }
  return { ok: true, suppression: r.data };
}

/**
 * How a suppression closes the tasks it makes moot, or null when it closes none. A sold machine is the
 * PRODUCT outcome `machine-sold`, published to followup.outcomes like a manual completion. A parked or
 * relocated machine has no outcome in the PRODUCT list: the task is withdrawn (done, no outcome, a note
 * saying why; nothing published, as nobody acted, and no cool-down, which needs an outcome). NOT_REPORTING
 * is a data-quality flag, not a reason to drop a task.
 */
export function closureFor(
  s: Pick<FollowupSuppression, 'reasonCode' | 'sinceMs'>,
): { outcome: 'machine-sold' | null; note: string } | null {
  const since = new Date(s.sinceMs).toISOString();
  switch (s.reasonCode) {
    case 'MACHINE_SOLD':
      return {
        outcome: 'machine-sold',
        note: `closed by the system: machine sold (MACHINE_SOLD since ${since})`,
      };
    case 'MACHINE_PARKED':
      return {
        outcome: null,
        note: `withdrawn by the system: machine parked (MACHINE_PARKED since ${since})`,
      };
    case 'MACHINE_RELOCATED':
      return {
        outcome: null,
        note: `withdrawn by the system: machine out of the service area (MACHINE_RELOCATED since ${since})`,
      };
    case 'NOT_REPORTING':
      return null;
  }
}

/** A task is moot when every one of its reasons was detected before the suppression held. */
export const mootAt = (reasons: readonly { detectedAt: string }[], sinceMs: number): boolean =>
  reasons.length > 0 && reasons.every((r) => Date.parse(r.detectedAt) < sinceMs);

/** Who closes tasks for a suppression (completedBy of the outcome; never an API caller's identity). */
export const SYSTEM = 'system';

interface TaskRow {
  task_id: string;
  customer_id: string;
  serial_number: string | null;
  branch_id: string;
  family: string;
  status: string;
  reasons: { code: string; detectedAt: string }[];
}

export interface SuppressionApplied {
  /** Ids of the tasks closed by this run (none on a re-run). */
  closed: string[];
  /** Why nothing was closed by design (a suppression that closes no task). */
  ignored?: string;
}

/**
 * Closes, in one transaction, the active tasks (open, claimed, holdout) of the suppression's customer and
 * machine whose reasons were all detected before `sinceMs`; tasks with a later reason stay. A holdout record
 * closed so is marked `closed_in_holdout` (and has no assignee): it never reached a person, so it is no
 * contact (CONTACT_SQL) and never releases its customer from the holdout. Idempotent: a
 * closed task is no longer active, and the outcome row is keyed by the task. Takes the per-family advisory
 * locks applyDecision takes, so a decision of the same key is applied wholly before or after. `nowMs` (the
 * injected clock) is the closing time. The outbox row is marked applied in the same transaction.
 */
export async function applySuppression(
  ds: DataSource,
  s: FollowupSuppression,
  outboxId: string | null,
  nowMs: number,
): Promise<SuppressionApplied> {
  const closure = closureFor(s);
  return ds.transaction(async (em): Promise<SuppressionApplied> => {
    if (closure === null) {
      await markApplied(em, outboxId);
      return { closed: [], ignored: `${s.reasonCode} closes no task` };
    }
    for (const family of [...REASON_FAMILIES].sort()) {
      await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
        ['followups', s.dealerId, s.customerId, s.serialNumber, family].join('|'),
      ]);
    }
    const active = await em.query<TaskRow[]>(
      `SELECT task_id, customer_id, serial_number, branch_id, family, status, reasons FROM tasks
        WHERE dealer_id = $1 AND customer_id = $2 AND serial_number = $3 AND status IN ('open', 'claimed', 'holdout')
        ORDER BY task_id FOR UPDATE`,
      [s.dealerId, s.customerId, s.serialNumber],
    );
    const closedAt = new Date(nowMs).toISOString();
    const closed: string[] = [];
    for (const t of active.filter((r) => mootAt(r.reasons, s.sinceMs))) {
      await em.query(
        `UPDATE tasks SET status = 'done', closed_in_holdout = (status = 'holdout'), outcome = $3, outcome_note = $4,
                closed_at = $5, updated_at = now()
          WHERE dealer_id = $1 AND task_id = $2`,
        [s.dealerId, t.task_id, closure.outcome, closure.note, closedAt],
      );
      if (closure.outcome !== null) await recordOutcome(em, s.dealerId, t, closure, closedAt);
      closed.push(t.task_id);
    }
    await markApplied(em, outboxId);
    return { closed };
  });
}

/** The outcome row a manual completion writes (TasksService.complete), completed by the system. */
async function recordOutcome(
  em: EntityManager,
  dealerId: string,
  t: TaskRow,
  closure: { outcome: string | null; note: string },
  closedAt: string,
): Promise<void> {
  const payload = {
    id: `outcome:${t.task_id}`,
    dealerId,
    taskId: t.task_id,
    customerId: t.customer_id,
    serialNumber: t.serial_number,
    branchId: t.branch_id,
    family: t.family,
    reasonCodes: t.reasons.map((r) => r.code),
    outcome: closure.outcome,
    note: closure.note,
    completedBy: SYSTEM,
    completedAt: closedAt,
  };
  await em.query(
    `INSERT INTO outbox (dealer_id, kind, dedup_key, payload) VALUES ($1, 'outcome', $2, $3::jsonb)
     ON CONFLICT DO NOTHING`,
    [dealerId, t.task_id, JSON.stringify(payload)],
  );
}

/** Marks the outbox row of a suppression that can never be applied, so the relay stops re-sending it. */
export async function rejectSuppression(ds: DataSource, outboxId: string | null): Promise<void> {
  await ds.transaction((em) => markApplied(em, outboxId));
}

async function markApplied(em: EntityManager, outboxId: string | null): Promise<void> {
  if (outboxId !== null) {
    await em.query('UPDATE outbox SET applied_at = now() WHERE id = $1 AND applied_at IS NULL', [outboxId]);
  }
}
