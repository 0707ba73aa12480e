import type { DataSource, EntityManager } from 'typeorm';
import { planDecision, type Plan } from '../core/plan-decision';
import type { FollowupRules } from '../core/settings';
import type { ActiveTask, FollowupDecision, LastOutcome, TaskReason } from '../core/task';
import { recordHoldouts, settleHoldout } from './holdout-record';
import type { EscalationJobData } from './job-names';

export type ApplyResult = 'created' | 'merged' | 'suppressed' | 'holdout' | 'duplicate';

/** Adds the delayed escalation job of a task (idempotent: deterministic job id). */
export type ScheduleEscalation = (job: EscalationJobData) => Promise<void>;

export interface Applied {
  result: ApplyResult;
  /** The escalation to (re)arm once committed; never before, or the job could run before the task exists. */
  escalation?: EscalationJobData;
  /**
   * Escalations of the customer's holdout records this decision turned into open tasks (the customer is no
   * longer held out under the current share), to arm once committed; the periodic re-arm covers them too.
   */
  released?: EscalationJobData[];
}

interface TaskRow {
  task_id: string;
  status: ActiveTask['status'];
  branch_id: string;
  reasons: TaskReason[];
  priority: string;
  value_at_risk: string;
  due_at: Date;
  warranty_ends_at: Date | null;
}

const keyParams = (d: FollowupDecision) => [d.dealerId, d.customerId, d.serialNumber ?? ''];

/**
 * Applies one decision in one transaction, idempotently: a decision already recorded in task_decisions
 * changes nothing. Same-key decisions are serialised by an advisory lock, so concurrent jobs merge
 * instead of racing on the one-active-task index. `nowMs` is the task side's clock (the processor's
 * injected one): a late decision's deadline counts from its arrival (planDecision).
 * A decision without a branch takes the customer's branch from master data if it arrived meanwhile, else
 * its task is stored unrouted (branch_id ''), for dealer admins, until a decision or a `customer.upserted`
 * names the branch (the customer projection re-routes unrouted tasks).
 * The holdout is the customer's, recorded once (recordHoldouts, committed before the transaction so the
 * alert fan-out, which also records, never waits on it) and settled under the current share in it
 * (settleHoldout: a released customer's holdout records become open tasks).
 */
export async function applyDecision(
  ds: DataSource,
  d: FollowupDecision,
  outboxId: string | null,
  rules: FollowupRules,
  /** The processor's injected clock (ms): when the decision reaches the task layer. */
  nowMs: number,
): Promise<Applied> {
  await recordHoldouts(ds, [d], rules.holdoutShare);
  return ds.transaction(async (em): Promise<Applied> => {
    await em.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      ['followups', ...keyParams(d), d.family].join('|'),
    ]);
    const seen = await em.query<unknown[]>(
      'SELECT 1 FROM task_decisions WHERE dealer_id = $1 AND decision_id = $2',
      [d.dealerId, d.id],
    );
    if (seen.length > 0) {
      await markApplied(em, outboxId);
      // Re-arm: the first attempt may have committed and then failed to add the escalation job.
      return { result: 'duplicate', escalation: await pendingEscalation(em, d) };
    }
    // The customer's branch as master data names it now (a decision swept before a move must not take the
    // task back to the old branch); the decision's own branch only while the customer has none.
    const current = await customerBranch(em, d);
    const routed = current !== '' && current !== d.branchId ? { ...d, branchId: current } : d;
    // Before any task row is locked: a release locks the customer's other holdout tasks.
    const { heldOut, released } = await settleHoldout(em, d, rules, nowMs);
    const plan = planDecision(
      routed,
      { active: await loadActive(em, d), lastOutcome: await loadLastOutcome(em, d), heldOut },
      rules,
      nowMs,
    );
    const { result, escalation } = await write(em, d, plan);
    await em.query(
      `INSERT INTO task_decisions (dealer_id, decision_id, task_id, result, detail) VALUES ($1, $2, $3, $4, $5)`,
      [
        d.dealerId,
        d.id,
        plan.kind === 'suppress' ? null : plan.kind === 'merge' ? plan.taskId : plan.task.taskId,
        result,
        plan.kind === 'suppress' ? plan.detail : null,
      ],
    );
    await markApplied(em, outboxId);
    return released.length > 0 ? { result, escalation, released } : { result, escalation };
  });
}

async function pendingEscalation(
  em: EntityManager,
  d: FollowupDecision,
): Promise<EscalationJobData | undefined> {
  const rows = await em.query<{ task_id: string; due_at: Date }[]>(
    `SELECT t.task_id, t.due_at FROM task_decisions td JOIN tasks t ON t.dealer_id = td.dealer_id AND t.task_id = td.task_id
      WHERE td.dealer_id = $1 AND td.decision_id = $2 AND t.status IN ('open', 'claimed') AND t.escalated_at IS NULL`,
    [d.dealerId, d.id],
  );
  const r = rows[0];
  return r ? { dealerId: d.dealerId, taskId: r.task_id, dueAtMs: new Date(r.due_at).getTime() } : undefined;
}

/** Records a decision that can never be applied, so the relay stops re-sending it. */
export async function recordRejected(
  ds: DataSource,
  dealerId: string,
  decisionId: string,
  outboxId: string | null,
  reason: string,
): Promise<void> {
  await ds.transaction(async (em) => {
    await em.query(
      `INSERT INTO task_decisions (dealer_id, decision_id, result, detail) VALUES ($1, $2, 'rejected', $3)
       ON CONFLICT DO NOTHING`,
      [dealerId, decisionId, reason],
    );
    await markApplied(em, outboxId);
  });
}

async function markApplied(em: EntityManager, outboxId: string | null): Promise<void> {
  if (outboxId !== null) {
    await em.query('UPDATE outbox SET applied_at = now() WHERE id = $1 AND applied_at IS NULL', [outboxId]);
  }
}

/** The customer's branch from master data now ('' while none has arrived). */
async function customerBranch(em: EntityManager, d: FollowupDecision): Promise<string> {
  const rows = await em.query<{ branch_id: string | null }[]>(
    'SELECT branch_id FROM customers WHERE dealer_id = $1 AND customer_id = $2',
    [d.dealerId, d.customerId],
  );
  return rows[0]?.branch_id ?? '';
}

async function loadActive(em: EntityManager, d: FollowupDecision): Promise<ActiveTask | null> {
  const rows = await em.query<TaskRow[]>(
    `SELECT task_id, status, branch_id, reasons, priority, value_at_risk, due_at, warranty_ends_at FROM tasks
      WHERE dealer_id = $1 AND customer_id = $2 AND coalesce(serial_number, '') = $3 AND family = $4
        AND status IN ('open', 'claimed', 'holdout')
      FOR UPDATE`,
    [...keyParams(d), d.family],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    taskId: r.task_id,
    status: r.status,
    branchId: r.branch_id,
    reasons: r.reasons,
    priority: Number(r.priority),
    valueAtRisk: Number(r.value_at_risk),
    dueAtMs: new Date(r.due_at).getTime(),
    ...(r.warranty_ends_at ? { warrantyEndsAtMs: new Date(r.warranty_ends_at).getTime() } : {}),
  };
}

async function loadLastOutcome(em: EntityManager, d: FollowupDecision): Promise<LastOutcome | null> {
  const rows = await em.query<{ outcome: string; closed_at: Date }[]>(
    `SELECT outcome, closed_at FROM tasks
      WHERE dealer_id = $1 AND customer_id = $2 AND coalesce(serial_number, '') = $3
        AND status = 'done' AND outcome IS NOT NULL AND closed_at IS NOT NULL AND reasons @> $4::jsonb
      ORDER BY closed_at DESC LIMIT 1`,
    [...keyParams(d), JSON.stringify([{ code: d.reasonCode }])],
  );
  const r = rows[0];
  return r ? { outcome: r.outcome, closedAtMs: new Date(r.closed_at).getTime() } : null;
}

const isoOrNull = (ms: number | undefined): string | null =>
  ms === undefined ? null : new Date(ms).toISOString();

async function write(em: EntityManager, d: FollowupDecision, plan: Plan): Promise<Applied> {
  switch (plan.kind) {
    case 'suppress':
      return { result: 'suppressed' };
    case 'merge': {
      if (plan.changed) {
        await em.query(
          `UPDATE tasks SET reasons = $3::jsonb, priority = $4, value_at_risk = $5, due_at = $6, branch_id = $7,
                  warranty_ends_at = $8, updated_at = now()
            WHERE dealer_id = $1 AND task_id = $2`,
          [
            d.dealerId,
            plan.taskId,
            JSON.stringify(plan.reasons),
            plan.priority,
            plan.valueAtRisk,
            new Date(plan.dueAtMs).toISOString(),
            plan.branchId,
            isoOrNull(plan.warrantyEndsAtMs),
          ],
        );
      }
      return plan.changed && plan.status !== 'holdout'
        ? {
            result: 'merged',
            escalation: { dealerId: d.dealerId, taskId: plan.taskId, dueAtMs: plan.dueAtMs },
          }
        : { result: 'merged' };
    }
    case 'create': {
      const t = plan.task;
      await em.query(
        `INSERT INTO tasks (dealer_id, task_id, customer_id, serial_number, branch_id, family, status, reasons,
                            priority, value_at_risk, due_at, warranty_ends_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12)`,
        [
          d.dealerId,
          t.taskId,
          d.customerId,
          d.serialNumber,
          t.branchId,
          d.family,
          t.status,
          JSON.stringify(t.reasons),
          t.priority,
          t.valueAtRisk,
          new Date(t.dueAtMs).toISOString(),
          isoOrNull(t.warrantyEndsAtMs),
        ],
      );
      if (t.status === 'holdout') return { result: 'holdout' };
      return {
        result: 'created',
        escalation: { dealerId: d.dealerId, taskId: t.taskId, dueAtMs: t.dueAtMs },
      };
    }
  }
}
