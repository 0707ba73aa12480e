import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@rp/config';
import { LOGGER, type Logger } from '@rp/observability';
import { scopeSql } from '../auth/scope';
import type { Caller } from '../auth/token';
import { subjectSql } from '../auth/token-store';
import { ApiError } from '../http/api-error';
import type { CompleteBody, TaskQuery } from '../http/schemas';
import { OutcomePublisher } from '../outcomes/outcome-publisher';
import { decodeCursor, encodeCursor } from './cursor';
import { dealerCurrency } from './dealer-currency';
import {
  effectivePrioritySql,
  TASK_COLUMNS,
  taskView,
  taskViewSql,
  type TaskRow,
  type TaskView,
} from './task-view';

const STATUSES: Record<TaskQuery['status'], string[]> = {
  open: ['open'],
  claimed: ['claimed'],
  done: ['done'],
  active: ['open', 'claimed'],
};

/** The caller's task queue and the claim / unclaim / complete actions; every query is scoped to the caller. */
@Injectable()
export class TasksService {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    private readonly publisher: OutcomePublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * One page of the caller's queue. The effective priority (task-view.ts) is evaluated at one instant for the
   * whole walk: `nowMs` (the request time, read by the controller) on the first page, then the instant the
   * cursor carries; a cursor issued before cursors carried it is evaluated at `nowMs`.
   */
  async list(
    caller: Caller,
    q: TaskQuery,
    nowMs: number,
  ): Promise<{ items: TaskView[]; nextCursor: string | null }> {
    const c = q.cursor ? decodeCursor(q.cursor) : undefined;
    const asOfMs = c?.asOfMs ?? nowMs;
    const params: unknown[] = [new Date(asOfMs).toISOString()];
    const asOf = '$1::timestamptz';
    const eff = effectivePrioritySql(asOf);
    const where = [scopeSql(caller, params, 't')];
    params.push(STATUSES[q.status]);
    where.push(`t.status = ANY($${params.length}::text[])`);
    where.push('NOT t.closed_in_holdout'); // a held-out customer's record, closed by a suppression: never shown
    if (c) {
      params.push(c.priority, c.taskId);
      const [p, t] = [params.length - 1, params.length];
      where.push(`(${eff} < $${p}::numeric OR (${eff} = $${p}::numeric AND t.task_id > $${t}))`);
    }
    params.push(q.limit + 1);
    const rows = await this.ds.query<TaskRow[]>(
      `${taskViewSql('tasks', asOf)} WHERE ${where.join(' AND ')}
        ORDER BY ${eff} DESC, t.task_id ASC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, q.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > q.limit && last
        ? encodeCursor({ priority: last.priority, taskId: last.task_id, asOfMs })
        : null;
    return { items: page.map((r) => this.view(r)), nextCursor };
  }

  /**
   * One task the caller may see (any status but holdout, nor a holdout record a suppression closed); 404
   * otherwise, as for another branch or dealer.
   */
  async one(caller: Caller, taskId: string): Promise<TaskView> {
    const params: unknown[] = [];
    const scope = scopeSql(caller, params, 't');
    params.push(taskId);
    const rows = await this.ds.query<TaskRow[]>(
      `${taskViewSql('tasks')} WHERE ${scope} AND t.task_id = $${params.length} AND t.status <> 'holdout'
         AND NOT t.closed_in_holdout`,
      params,
    );
    if (!rows[0]) throw new ApiError('NOT_FOUND', `task ${taskId} not found`);
    return this.view(rows[0]);
  }

  /** Claims an open task for the caller (idempotent for the same caller); 409 if someone else holds it. */
  async claim(caller: Caller, taskId: string): Promise<TaskView> {
    return this.ds.transaction(async (em) => {
      const task = await this.lockVisible(em, caller, taskId);
      this.refuseIfTaken(task, caller);
      const rows = await em.query<TaskRow[]>(
        `WITH changed AS (
           UPDATE tasks t SET status = 'claimed', assignee = $3, updated_at = now()
            WHERE t.dealer_id = $1 AND t.task_id = $2 RETURNING t.*)
         ${taskViewSql('changed')}`,
        [task.dealer_id, task.task_id, caller.subject],
      );
      return this.view(firstRow(rows));
    });
  }

  /**
   * Releases a claim: the task is open and unassigned again. The assignee may release their own claim, a dealer
   * admin anyone's (to reassign it: release, then the other person claims). An open task is returned unchanged;
   * a done task is 409 TASK_CLOSED; a manager releasing someone else's claim is 409 TASK_CLAIMED_BY_OTHER.
   */
  async unclaim(caller: Caller, taskId: string): Promise<TaskView> {
    return this.ds.transaction(async (em) => {
      const task = await this.lockVisible(em, caller, taskId);
      if (task.status === 'done') {
        throw new ApiError('TASK_CLOSED', `task ${task.task_id} is already done (outcome ${task.outcome})`);
      }
      if (task.status !== 'claimed') return this.view(await viewOf(em, task));
      const own = task.assignee === caller.subject;
      if (!own && caller.role !== 'admin') {
        throw new ApiError(
          'TASK_CLAIMED_BY_OTHER',
          `task ${task.task_id} is claimed by ${task.assignee}; only they or an admin of the dealer can release it`,
        );
      }
      const rows = await em.query<TaskRow[]>(
        `WITH changed AS (
           UPDATE tasks t SET status = 'open', assignee = NULL, updated_at = now()
            WHERE t.dealer_id = $1 AND t.task_id = $2 RETURNING t.*)
         ${taskViewSql('changed')}`,
        [task.dealer_id, task.task_id],
      );
      // Tasks keep no event trail: the log records who released whose claim, by token ids (never names).
      const holders = own ? [caller.tokenId] : await holderTokenIds(em, task);
      this.logger.info(
        {
          dealerId: task.dealer_id,
          taskId: task.task_id,
          releasedByTokenId: caller.tokenId,
          releasedByRole: caller.role,
          ownClaim: own,
          holderTokenIds: holders,
        },
        'task claim released',
      );
      return this.view(firstRow(rows));
    });
  }

  /**
   * Closes the task with an outcome and records the outcome in the outbox in the same transaction, so
   * it reaches `followup.outcomes` even if the process dies right after the commit.
   */
  async complete(caller: Caller, taskId: string, body: CompleteBody): Promise<TaskView> {
    const view = await this.ds.transaction(async (em) => {
      const task = await this.lockVisible(em, caller, taskId);
      this.refuseIfTaken(task, caller);
      const rows = await em.query<TaskRow[]>(
        `WITH changed AS (
           UPDATE tasks t SET status = 'done', outcome = $3, outcome_note = $4, closed_at = now(), updated_at = now(),
                  assignee = coalesce(t.assignee, $5)
            WHERE t.dealer_id = $1 AND t.task_id = $2 RETURNING t.*)
         ${taskViewSql('changed')}`,
        [task.dealer_id, task.task_id, body.outcome, body.note ?? null, caller.subject],
      );
      const done = firstRow(rows);
      const payload = {
        id: `outcome:${done.task_id}`,
        dealerId: done.dealer_id,
        taskId: done.task_id,
        customerId: done.customer_id,
        serialNumber: done.serial_number,
        branchId: done.branch_id,
        family: done.family,
        reasonCodes: done.reasons.map((r) => r.code),
        outcome: body.outcome,
        note: body.note ?? null,
        completedBy: caller.subject,
        completedAt: done.closed_at!.toISOString(),
      };
      await em.query(
        `INSERT INTO outbox (dealer_id, kind, dedup_key, payload) VALUES ($1, 'outcome', $2, $3::jsonb)`,
        [done.dealer_id, done.task_id, JSON.stringify(payload)],
      );
      return this.view(done);
    });
    this.publisher.kick();
    return view;
  }

  private view(r: TaskRow): TaskView {
    return taskView(r, dealerCurrency(this.config, r.dealer_id));
  }

  /** The task if the caller may see it, locked; 404 otherwise (another branch or dealer looks absent). */
  private async lockVisible(em: EntityManager, caller: Caller, taskId: string): Promise<TaskRow> {
    const params: unknown[] = [];
    const scope = scopeSql(caller, params, 't');
    params.push(taskId);
    const rows = await em.query<TaskRow[]>(
      `SELECT ${TASK_COLUMNS} FROM tasks t WHERE ${scope} AND t.task_id = $${params.length} AND t.status <> 'holdout'
        AND NOT t.closed_in_holdout FOR UPDATE`,
      params,
    );
    if (!rows[0]) throw new ApiError('NOT_FOUND', `task ${taskId} not found`);
    return rows[0];
  }

  private refuseIfTaken(task: TaskRow, caller: Caller): void {
    if (task.status === 'done') {
      throw new ApiError('TASK_CLOSED', `task ${task.task_id} is already done (outcome ${task.outcome})`);
    }
    if (task.status === 'claimed' && task.assignee !== caller.subject) {
      throw new ApiError(
        'TASK_CLAIMED_BY_OTHER',
        `task ${task.task_id} is already claimed by ${task.assignee}; only they can work it`,
      );
    }
  }
}

async function viewOf(em: EntityManager, task: TaskRow): Promise<TaskRow> {
  return firstRow(
    await em.query<TaskRow[]>(`${taskViewSql('tasks')} WHERE t.dealer_id = $1 AND t.task_id = $2`, [
      task.dealer_id,
      task.task_id,
    ]),
  );
}

/** Ids of the dealer's tokens whose identity is the task's assignee (the log names tokens, not people). */
async function holderTokenIds(em: EntityManager, task: TaskRow): Promise<string[]> {
  const rows = await em.query<{ token_id: string }[]>(
    `SELECT a.token_id FROM api_tokens a WHERE a.dealer_id = $1 AND ${subjectSql('a')} = $2 ORDER BY a.token_id`,
    [task.dealer_id, task.assignee],
  );
  return rows.map((r) => r.token_id);
}

function firstRow(result: unknown): TaskRow {
  // TypeORM returns [rows, affected] for UPDATE … RETURNING on Postgres, plain rows otherwise.
  const list = (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result) as TaskRow[];
  if (!list[0]) throw new Error('task vanished inside its own transaction');
  return list[0];
}
