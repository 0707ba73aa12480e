import type { IdentifiedJob } from '@rp/queue';
import { escalationJobId, FollowupJob, type EscalationJobData } from './job-names';

/** The delayed escalation job of a task, due at its due date as seen from `nowMs` (the injected clock). */
export function escalationJob(job: EscalationJobData, nowMs: number): IdentifiedJob<EscalationJobData> {
  return {
    name: FollowupJob.Escalate,
    data: job,
    jobId: escalationJobId(job.dealerId, job.taskId, job.dueAtMs),
    opts: { delay: Math.max(0, job.dueAtMs - nowMs) },
  };
}
