import { escalationJobId, taskIdFor } from '@rp/followups';
import { waitFor } from '../../support';
import { DAY, DEALER, followupsHarness, T0, valuedDecision, type FollowupsHarness } from './harness';

describe('escalation of overdue tasks (delayed BullMQ job, injected clock)', () => {
  let h: FollowupsHarness;
  let now = T0;
  beforeAll(async () => {
    h = await followupsHarness({}, () => now);
  });
  afterAll(async () => {
    await h.close();
  });

  const escalated = async (taskId: string) =>
    (
      await h.ds.query<{ escalated_at: Date | null }[]>('SELECT escalated_at FROM tasks WHERE task_id = $1', [
        taskId,
      ])
    )[0]?.escalated_at ?? null;

  it('waits for the due date, then escalates to the branch lead at the injected time', async () => {
    const d = valuedDecision({ customerId: 'c-late', branchId: 'branch-9' });
    const taskId = taskIdFor(DEALER, d.id);
    const dueAt = T0 + 14 * DAY;
    await h.publish([d]);
    await h.waitApplied(1);
    const job = (await waitFor('escalation job', () =>
      h.runtime.queue.getJob(escalationJobId(DEALER, taskId, dueAt)),
    ))!;
    expect(await job.getState()).toBe('delayed');
    expect(job.data).toEqual({ dealerId: DEALER, taskId, dueAtMs: dueAt });

    // Fired early (promoted by hand while the clock is before the due date): back to delayed, nothing escalated.
    await job.promote();
    await waitFor('job delayed again', async () => (await job.getState()) === 'delayed');
    expect(await escalated(taskId)).toBeNull();

    now = T0 + 15 * DAY;
    await job.promote();
    await waitFor('task escalated', () => escalated(taskId));
    expect(new Date((await escalated(taskId))!).getTime()).toBe(T0 + 15 * DAY);
    const rows = await h.ds.query<{ branch_id: string; due_at: Date; escalated_at: Date }[]>(
      'SELECT branch_id, due_at, escalated_at FROM escalations WHERE task_id = $1',
      [taskId],
    );
    expect(
      rows.map((r) => [r.branch_id, new Date(r.due_at).getTime(), new Date(r.escalated_at).getTime()]),
    ).toEqual([['branch-9', dueAt, T0 + 15 * DAY]]);
  });

  it('gives a task from a backlog its full window from arrival, never escalated at creation', async () => {
    now = T0 + 30 * DAY; // the decision (detected at T0, due T0 + 14 days in event time) arrives 30 days late
    const late = valuedDecision({ customerId: 'c-overdue' });
    const lateId = taskIdFor(DEALER, late.id);
    await h.publish([late]);
    await h.waitApplied(2);
    const heldDue = T0 + 44 * DAY;
    const job = (await waitFor('escalation job', () =>
      h.runtime.queue.getJob(escalationJobId(DEALER, lateId, heldDue)),
    ))!;
    expect(await job.getState()).toBe('delayed');
    const [row] = await h.ds.query<{ due_at: Date }[]>('SELECT due_at FROM tasks WHERE task_id = $1', [
      lateId,
    ]);
    expect(new Date(row.due_at).getTime()).toBe(heldDue);
    expect(await escalated(lateId)).toBeNull();
    now = heldDue;
    await job.promote();
    await waitFor('late task escalated', () => escalated(lateId));
    expect(new Date((await escalated(lateId))!).getTime()).toBe(heldDue);
  });

  it('never escalates a closed task', async () => {
    now = T0;
    const closed = valuedDecision({ customerId: 'c-closed' });
    const closedId = taskIdFor(DEALER, closed.id);
    await h.publish([closed]);
    await h.waitApplied(3);
    await h.ds.query(
      `UPDATE tasks SET status = 'done', outcome = 'service-booked', closed_at = now() WHERE task_id = $1`,
      [closedId],
    );
    now = T0 + 60 * DAY;
    const job = (await h.runtime.queue.getJob(escalationJobId(DEALER, closedId, T0 + 14 * DAY)))!;
    await job.promote();
    await waitFor('closed-task escalation done', async () => (await job.getState()) === 'completed');
    expect(await h.runtime.queue.getJob(job.id!).then((j) => j?.returnvalue as unknown)).toBe(
      'skipped: task done',
    );
    expect(await escalated(closedId)).toBeNull();
    expect((await h.ds.query<{ n: string }[]>('SELECT count(*) AS n FROM escalations'))[0].n).toBe('2');
  });
});
