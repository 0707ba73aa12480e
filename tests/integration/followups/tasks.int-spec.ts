import { decisionJobId, FollowupJob, taskIdFor } from '@rp/followups';
import { waitFor } from '../../support';
import { DAY, DEALER, followupsHarness, T0, valuedDecision, type FollowupsHarness } from './harness';

describe('follow-up tasks from outbox decisions (Postgres + Redis)', () => {
  let h: FollowupsHarness;
  beforeAll(async () => {
    // The task side's clock at the decisions' event time: no delivery lag, due dates stay in event time.
    h = await followupsHarness({}, () => T0);
  });
  afterAll(async () => {
    await h.close();
  });

  const a1 = valuedDecision({ customerId: 'c-a', detectedAtMs: T0, priority: 10 });
  const b1 = valuedDecision({
    customerId: 'c-b',
    serialNumber: null,
    reasonCode: 'PURCHASE_GAP',
    branchId: 'branch-2',
  });

  it('turns each decision into exactly one open task, routed and due by event time', async () => {
    await h.publish([a1, b1]);
    await h.waitApplied(2);
    const tasks = await h.tasks();
    expect(tasks).toHaveLength(2);
    expect(tasks[0]).toMatchObject({
      task_id: taskIdFor(DEALER, a1.id),
      customer_id: 'c-a',
      serial_number: 'SN-1',
      branch_id: 'branch-1',
      family: 'lapse',
      status: 'open',
      priority: '10',
      value_at_risk: '1500',
    });
    expect(new Date(tasks[0].due_at).getTime()).toBe(T0 + 14 * DAY);
    expect(tasks[0].reasons).toEqual([
      {
        code: 'POST_WARRANTY_NO_SERVICE',
        message: 'POST_WARRANTY_NO_SERVICE for c-a',
        evidenceEventIds: [`ev-${a1.id.slice(0, 8)}`],
        ruleVersion: '1',
        detectedAt: '2026-03-01T00:00:00.000Z',
        decisionId: a1.id,
      },
    ]);
    expect(tasks[1]).toMatchObject({
      customer_id: 'c-b',
      serial_number: null,
      branch_id: 'branch-2',
      status: 'open',
    });
    const outbox = await h.ds.query<{ n: string }[]>(
      `SELECT count(*) AS n FROM outbox WHERE kind = 'decision' AND dispatched_at IS NOT NULL AND applied_at IS NOT NULL`,
    );
    expect(outbox[0].n).toBe('2');
  });

  it('changes nothing when the same decisions come again (re-sent rows and duplicate jobs)', async () => {
    await h.ds.query('UPDATE outbox SET dispatched_at = NULL');
    await h.publish([a1, b1]);
    const dup = await h.runtime.queue.add(
      FollowupJob.Decision,
      { outboxId: '999999', dealerId: DEALER, decisionId: a1.id, decision: a1 },
      { jobId: `replayed.${a1.id}` },
    );
    await waitFor('re-sent rows dispatched', async () => {
      const r = await h.ds.query<{ n: string }[]>(
        "SELECT count(*) AS n FROM outbox WHERE kind = 'decision' AND dispatched_at IS NULL",
      );
      return r[0].n === '0';
    });
    await waitFor('duplicate job done', async () => (await dup.getState()) === 'completed');
    expect(await h.runtime.queue.getJob(dup.id!).then((j) => j?.returnvalue as unknown)).toBe('duplicate');
    expect(await h.tasks()).toHaveLength(2);
    expect(await h.applied()).toBe(2);
    expect(await h.runtime.queue.getJob(decisionJobId(DEALER, a1.id))).toBeDefined();
  });

  it('merges a second reason for the same machine and family, raising priority', async () => {
    const a2 = valuedDecision({
      customerId: 'c-a',
      reasonCode: 'MAINTENANCE_OVERDUE',
      detectedAtMs: T0 + DAY,
      priority: 30,
      valueAtRisk: 900,
    });
    const a3 = valuedDecision({
      customerId: 'c-a',
      reasonCode: 'WARRANTY_ENDING_UNCOVERED',
      detectedAtMs: T0,
      urgency: { warrantyEndsAtMs: T0 + 20 * DAY },
    });
    await h.publish([a2, a3]);
    await h.waitApplied(4);
    const tasks = (await h.tasks()).filter((t) => t.customer_id === 'c-a');
    expect(tasks.map((t) => t.family).sort()).toEqual(['coverage', 'lapse']);
    const lapse = tasks.find((t) => t.family === 'lapse')!;
    expect(lapse.reasons.map((r) => r.code)).toEqual(['POST_WARRANTY_NO_SERVICE', 'MAINTENANCE_OVERDUE']);
    expect(lapse).toMatchObject({ task_id: taskIdFor(DEALER, a1.id), priority: '30', value_at_risk: '1500' });
    expect(new Date(lapse.due_at).getTime()).toBe(T0 + 14 * DAY);
    const coverage = tasks.find((t) => t.family === 'coverage')!;
    expect(new Date(coverage.due_at).getTime()).toBe(T0 + 7 * DAY);
    const results = await h.ds.query<{ result: string; n: string }[]>(
      'SELECT result, count(*) AS n FROM task_decisions GROUP BY result ORDER BY result',
    );
    expect(results).toEqual([
      { result: 'created', n: '3' },
      { result: 'merged', n: '1' },
    ]);
  });

  it('suppresses the same reason within the cool-down after an outcome, and reopens after it', async () => {
    await h.ds.query(
      `UPDATE tasks SET status = 'done', outcome = 'service-booked', closed_at = $2 WHERE customer_id = $1`,
      ['c-b', new Date(T0 + 5 * DAY).toISOString()],
    );
    const within = valuedDecision({
      customerId: 'c-b',
      serialNumber: null,
      reasonCode: 'PURCHASE_GAP',
      detectedAtMs: T0 + 20 * DAY,
      episode: 'e2',
    });
    const after = valuedDecision({
      customerId: 'c-b',
      serialNumber: null,
      reasonCode: 'PURCHASE_GAP',
      detectedAtMs: T0 + 40 * DAY,
      episode: 'e3',
    });
    await h.publish([within]);
    await h.waitApplied(5);
    const [row] = await h.ds.query<{ result: string; detail: string; task_id: string | null }[]>(
      'SELECT result, detail, task_id FROM task_decisions WHERE decision_id = $1',
      [within.id],
    );
    expect(row).toEqual({
      result: 'suppressed',
      detail: 'cool-down: PURCHASE_GAP closed as service-booked at 2026-03-06T00:00:00.000Z',
      task_id: null,
    });
    expect((await h.tasks()).filter((t) => t.customer_id === 'c-b').map((t) => t.status)).toEqual(['done']);
    await h.publish([after]);
    await h.waitApplied(6);
    const cb = (await h.tasks()).filter((t) => t.customer_id === 'c-b');
    expect(cb.map((t) => t.status).sort()).toEqual(['done', 'open']);
    expect(cb.find((t) => t.status === 'open')!.task_id).toBe(taskIdFor(DEALER, after.id));
  });

  it('fails a decision that can never apply at once, with its reason in the failed set', async () => {
    const bad = { ...valuedDecision({ customerId: 'c-bad' }), reasonCode: 'NOT_A_REASON' };
    await h.publish([bad]);
    const failed = (await waitFor('failed job', async () => {
      const jobs = await h.runtime.queue.getFailed();
      return jobs.find((j) => j.id === decisionJobId(DEALER, bad.id));
    }))!;
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toMatch(/^invalid decision: reasonCode: /);
    const [row] = await h.ds.query<{ result: string }[]>(
      'SELECT result FROM task_decisions WHERE decision_id = $1',
      [bad.id],
    );
    expect(row.result).toBe('rejected');
    const [ob] = await h.ds.query<{ applied: boolean }[]>(
      'SELECT applied_at IS NOT NULL AS applied FROM outbox WHERE dedup_key = $1',
      [bad.id],
    );
    expect(ob.applied).toBe(true);
    expect((await h.tasks()).some((t) => t.customer_id === 'c-bad')).toBe(false);
  });

  it('reports the worker healthy through its blocking connection', async () => {
    await expect(h.runtime.health()).resolves.toMatchObject({ worker: 'ready' });
  });
});
