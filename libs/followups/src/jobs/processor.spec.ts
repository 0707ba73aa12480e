import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Logger } from '@rp/observability';
import type { FollowupRules } from '../core/settings';
import { escalateTask } from './escalate';
import { FollowupJob } from './job-names';
import { createProcessor } from './processor';

jest.mock('./escalate', () => ({ escalateTask: jest.fn() }));

describe('escalation job logs', () => {
  it('logs an overdue task escalated to the branch lead at info (a normal business event), ids only', async () => {
    const lines: { level: string; fields: object; msg: string }[] = [];
    const log = (level: string) => (fields: object, msg: string) => lines.push({ level, fields, msg });
    const logger = { info: log('info'), warn: log('warn'), error: log('error') } as unknown as Logger;
    jest.mocked(escalateTask).mockResolvedValue({ kind: 'escalate' });
    const process = createProcessor({
      ds: {} as DataSource,
      rules: {} as FollowupRules,
      clock: () => Date.UTC(2026, 8, 2),
      schedule: () => Promise.resolve(),
      logger,
    });
    const job = {
      name: FollowupJob.Escalate,
      data: { dealerId: 'd1', taskId: 't1', dueAtMs: Date.UTC(2026, 8, 1) },
    } as unknown as Job;
    await expect(process(job, 'token')).resolves.toBe('escalated');
    expect(lines).toEqual([
      {
        level: 'info',
        fields: { dealerId: 'd1', taskId: 't1', dueAt: '2026-09-01T00:00:00.000Z' },
        msg: 'overdue task escalated to the branch lead',
      },
    ]);
  });
});
