import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Logger } from '@rp/observability';
import type { FollowupRules } from '../core/settings';
import { applyDecision, recordRejected, type ScheduleEscalation } from './apply-decision';
import {
  applySuppression,
  parseSuppression,
  rejectSuppression,
  SUPPRESSION_JOB,
  type SuppressionJobData,
} from './apply-suppression';
import { parseDecision } from './decision-schema';
import { escalateTask } from './escalate';
import { attemptFailure } from './final-failure';
import { FollowupJob, type DecisionJobData, type EscalationJobData } from './job-names';

export interface ProcessorDeps {
  ds: DataSource;
  rules: FollowupRules;
  /** Injected clock (ms); the wall clock in production, a fake one in tests. */
  clock: () => number;
  schedule: ScheduleEscalation;
  logger: Logger;
}

type Handler = (job: Job, token: string | undefined) => Promise<unknown>;

/**
 * One handler per job name, checked when the worker is built. Errors thrown are retried with back-off; a
 * job that can never succeed throws UnrecoverableError and stays in the failed set, and so does one whose
 * last attempt failed for a reason that is not transient (attemptFailure).
 */
export function createProcessor(deps: ProcessorDeps): (job: Job, token?: string) => Promise<unknown> {
  type Name = FollowupJob | typeof SUPPRESSION_JOB;
  const handlers: Record<Name, Handler> = {
    [FollowupJob.Decision]: (job) => handleDecision(deps, job.data as DecisionJobData),
    [FollowupJob.Escalate]: (job, token) => handleEscalation(deps, job, token),
    [SUPPRESSION_JOB]: (job) => handleSuppression(deps, job.data as SuppressionJobData),
  };
  const names: Name[] = [...Object.values(FollowupJob), SUPPRESSION_JOB];
  for (const name of names) {
    if (typeof handlers[name] !== 'function') throw new Error(`followups: no handler for job "${name}"`);
  }
  return async (job, token) => {
    const handler = (handlers as Partial<Record<string, Handler>>)[job.name];
    if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}"`);
    try {
      return await handler(job, token);
    } catch (err) {
      throw attemptFailure(job, err);
    }
  };
}

async function handleDecision(deps: ProcessorDeps, data: DecisionJobData): Promise<string> {
  if (typeof data?.dealerId !== 'string' || typeof data.decisionId !== 'string') {
    throw new UnrecoverableError('invalid decision job: dealerId and decisionId are required');
  }
  const outboxId = typeof data.outboxId === 'string' ? data.outboxId : null;
  const parsed = parseDecision(data.decision, data);
  if (!parsed.ok) {
    await recordRejected(deps.ds, data.dealerId, data.decisionId, outboxId, parsed.reason);
    throw new UnrecoverableError(parsed.reason);
  }
  const applied = await applyDecision(deps.ds, parsed.decision, outboxId, deps.rules, deps.clock());
  // After commit; if Redis fails here the job retries, finds the decision applied and re-arms it.
  if (applied.escalation) await deps.schedule(applied.escalation);
  // Holdout tasks of a customer the share no longer covers became open: their escalations, armed now.
  for (const e of applied.released ?? []) await deps.schedule(e);
  return applied.result;
}

/**
 * Closes the tasks a suppression makes moot. An invalid payload can never succeed: its outbox row is
 * marked applied (so it is not re-sent) and the job fails for good, naming the problem.
 */
async function handleSuppression(deps: ProcessorDeps, data: SuppressionJobData): Promise<string> {
  if (typeof data?.dealerId !== 'string' || typeof data.suppressionId !== 'string') {
    throw new UnrecoverableError('invalid suppression job: dealerId and suppressionId are required');
  }
  const outboxId = typeof data.outboxId === 'string' ? data.outboxId : null;
  const parsed = parseSuppression(data.suppression, data);
  if (!parsed.ok) {
    await rejectSuppression(deps.ds, outboxId);
    throw new UnrecoverableError(parsed.reason);
  }
  const applied = await applySuppression(deps.ds, parsed.suppression, outboxId, deps.clock());
  if (applied.ignored) return `ignored: ${applied.ignored}`;
  return `closed ${applied.closed.length}`;
}

async function handleEscalation(deps: ProcessorDeps, job: Job, token: string | undefined): Promise<string> {
  const data = job.data as EscalationJobData;
  if (
    typeof data?.dealerId !== 'string' ||
    typeof data.taskId !== 'string' ||
    !Number.isFinite(data.dueAtMs)
  ) {
    throw new UnrecoverableError('invalid escalation job: dealerId, taskId and dueAtMs are required');
  }
  const now = deps.clock();
  const step = await escalateTask(deps.ds, data, now);
  switch (step.kind) {
    case 'escalate':
      // A normal product event (the branch lead takes over), not a fault.
      deps.logger.info(
        { dealerId: data.dealerId, taskId: data.taskId, dueAt: new Date(data.dueAtMs).toISOString() },
        'overdue task escalated to the branch lead',
      );
      return 'escalated';
    case 'skip':
      return `skipped: ${step.why}`;
    case 'wait':
      // Fired before the due date (clock skew, promoted early): back to the delayed set, not a failure.
      await job.moveToDelayed(Date.now() + (step.untilMs - now), token);
      throw new DelayedError();
  }
}
