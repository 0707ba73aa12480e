import { escalationJobId, escalationEventId, taskIdFor } from '@rp/followups';
import { deliveryIdFor, verifySignature } from '@rp/alerts';
import { waitFor } from '../../support';
import { DAY, DEALER, T0, valuedDecision } from '../followups/harness';
import { startApiApp, type ApiApp } from './api-app';
import { alertsHarness, startReceiver, type AlertsHarness, type Receiver } from './harness';

const SECRET = 'whsec-escalation-0123456789';

describe('an overdue task escalates: one task.escalated alert to the branch lead (injected clock)', () => {
  let h: AlertsHarness;
  let api: ApiApp;
  let now = T0; // the decision reaches the task layer when it is detected: due T0 + 14 days
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    h = await alertsHarness({}, {}, () => now);
    api = await startApiApp(h.f.ds, h.f.config);
  });
  afterAll(async () => {
    await api.close();
    await h.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  const types = (r: Receiver): string[] =>
    r.requests.map((q) => (JSON.parse(q.rawBody) as { type: string }).type);

  it('delivers exactly one escalation alert to the subscriptions taking it, and the API shows escalatedAt', async () => {
    const all = await startReceiver();
    const churnOnly = await startReceiver();
    const leadOnly = await startReceiver();
    receivers.push(all, churnOnly, leadOnly);
    const subAll = await h.subscribe(DEALER, all.url, SECRET);
    await h.subscribe(DEALER, churnOnly.url, SECRET, undefined, 0, ['churn.alert']);
    await h.subscribe(DEALER, leadOnly.url, SECRET, ['MAINTENANCE_OVERDUE'], 0, ['task.escalated']);

    const d = valuedDecision({ customerId: 'c-late', branchId: 'branch-9', priority: 30 });
    const taskId = taskIdFor(DEALER, d.id);
    const dueAt = T0 + 14 * DAY;
    await h.f.publish([d]);
    await waitFor('churn alerts', () => all.requests.length === 1 && churnOnly.requests.length === 1);
    const job = (await waitFor('escalation job', () =>
      h.f.runtime.queue.getJob(escalationJobId(DEALER, taskId, dueAt)),
    ))!;
    expect(await job.getState()).toBe('delayed');
    const before = await api.get(DEALER, '/api/v1/tasks?status=open');
    expect(
      (before.body.items as { id: string; escalatedAt: string | null }[]).map((t) => [t.id, t.escalatedAt]),
    ).toEqual([[taskId, null]]);

    now = T0 + 15 * DAY;
    await job.promote();
    await waitFor('escalation alert', () => all.requests.length === 2, 30_000, 50);

    // Recovery rounds and further polls send nothing again.
    await h.f.runtime.recover();
    await h.alerts.pollOnce();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(types(all)).toEqual(['churn.alert', 'task.escalated']);
    expect(types(churnOnly)).toEqual(['churn.alert']);
    // Listed reason codes filter escalations too: the task's reason is POST_WARRANTY_NO_SERVICE.
    expect(leadOnly.requests).toHaveLength(0);

    const req = all.requests[1];
    const eventId = escalationEventId(taskId, dueAt);
    const deliveryId = deliveryIdFor(DEALER, eventId, subAll);
    expect(req.headers['x-retention-delivery']).toBe(deliveryId);
    expect(
      verifySignature(
        SECRET,
        req.rawBody,
        req.headers['x-retention-timestamp'] as string,
        req.headers['x-retention-signature'] as string,
        Date.now(),
      ),
    ).toBe(true);
    expect(JSON.parse(req.rawBody)).toEqual({
      type: 'task.escalated',
      deliveryId,
      dealerId: DEALER,
      subscriptionId: subAll,
      task: {
        id: taskId,
        customerId: 'c-late',
        serialNumber: 'SN-1',
        branchId: 'branch-9',
        family: 'lapse',
        reasonCodes: ['POST_WARRANTY_NO_SERVICE'],
        priority: 30,
        valueAtRisk: 1500,
        dueAt: new Date(dueAt).toISOString(),
        escalatedAt: new Date(T0 + 15 * DAY).toISOString(),
      },
    });
    const dispatch = await h.f.ds.query<{ source_kind: string; decision_id: string; status: string }[]>(
      `SELECT source_kind, decision_id, status FROM alert_dispatch WHERE source_kind = 'escalation'`,
    );
    expect(dispatch).toEqual([{ source_kind: 'escalation', decision_id: eventId, status: 'delivered' }]);
    // Never waiting for a relay or the Kafka publisher: out of both pending indexes at once.
    const rows = await h.f.ds.query<{ dispatched: boolean; published: boolean }[]>(
      `SELECT dispatched_at IS NOT NULL AS dispatched, published_at IS NOT NULL AS published FROM outbox
        WHERE kind = 'escalation'`,
    );
    expect(rows).toEqual([{ dispatched: true, published: true }]);

    const after = await api.get(DEALER, '/api/v1/tasks?status=open');
    expect(after.status).toBe(200);
    expect(
      (after.body.items as { id: string; escalatedAt: string | null }[]).map((t) => [t.id, t.escalatedAt]),
    ).toEqual([[taskId, new Date(T0 + 15 * DAY).toISOString()]]);
  });
});
