import { createHmac, timingSafeEqual } from 'node:crypto';
import { alertJobId, deliveryIdFor, verifySignature, type AlertPayload } from '@rp/alerts';
import { waitFor } from '../../support';
import { DEALER, valuedDecision } from '../followups/harness';
import { alertsHarness, startReceiver, type AlertsHarness, type Receiver } from './harness';

const SECRET = 'whsec-0123456789-abcdef';

/**
 * Receiver-side check written from the header spec, not with our own signing code: HMAC-SHA256 of
 * "<x-retention-timestamp>.<raw body>", compared in constant time.
 */
const receiverVerifies = (
  secret: string,
  rawBody: string,
  timestamp: string | string[] | undefined,
  header: string | string[] | undefined,
): boolean => {
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret)
      .update(`${String(timestamp)}.${rawBody}`, 'utf8')
      .digest('hex')}`,
  );
  const given = Buffer.from(typeof header === 'string' ? header : '');
  return given.length === expected.length && timingSafeEqual(given, expected);
};

describe('churn alert deliveries (Postgres + Redis + a local HTTP receiver)', () => {
  let h: AlertsHarness;
  const receivers: Receiver[] = [];
  beforeAll(async () => {
    h = await alertsHarness({ attempts: 5, backoffMs: 100 });
  });
  afterAll(async () => {
    await h.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('posts a signed JSON payload, only to the subscriptions whose filters match', async () => {
    const all = await startReceiver();
    const detractors = await startReceiver();
    const urgent = await startReceiver();
    receivers.push(all, detractors, urgent);
    const subAll = await h.subscribe(DEALER, all.url, SECRET);
    await h.subscribe(DEALER, detractors.url, 'other-secret-0123456789', ['DETRACTOR']);
    await h.subscribe(DEALER, urgent.url, 'urgent-secret-0123456789', undefined, 100);
    await h.subscribe('dealer-other', all.url, 'foreign-secret-0123456789');

    const d = valuedDecision({ customerId: 'c-sig', reasonCode: 'MAINTENANCE_OVERDUE', priority: 40 });
    await h.f.publish([d]);
    await waitFor('one delivery', () => all.requests.length === 1);
    await h.f.waitApplied(1);

    const req = all.requests[0];
    expect(req.headers['content-type']).toBe('application/json');
    const sig = req.headers['x-retention-signature'];
    const stamp = req.headers['x-retention-timestamp'];
    expect(receiverVerifies(SECRET, req.rawBody, stamp, sig)).toBe(true);
    expect(verifySignature(SECRET, req.rawBody, stamp as string, sig as string, Date.now())).toBe(true);
    expect(receiverVerifies('wrong-secret-0123456789', req.rawBody, stamp, sig)).toBe(false);
    // A replay of the captured request under a fresh timestamp fails verification.
    const fresh = String(Number(stamp) + 60);
    expect(receiverVerifies(SECRET, req.rawBody, fresh, sig)).toBe(false);
    expect(verifySignature(SECRET, req.rawBody, fresh, sig as string)).toBe(false);
    const deliveryId = deliveryIdFor(DEALER, d.id, subAll);
    expect(req.headers['x-retention-delivery']).toBe(deliveryId);
    const ts = Number(req.headers['x-retention-timestamp']);
    expect(Math.abs(ts - Date.now() / 1000)).toBeLessThan(30);

    const body = JSON.parse(req.rawBody) as AlertPayload;
    expect(body).toEqual({
      type: 'churn.alert',
      deliveryId,
      dealerId: DEALER,
      subscriptionId: subAll,
      decision: {
        id: d.id,
        customerId: 'c-sig',
        serialNumber: 'SN-1',
        branchId: 'branch-1',
        reasonCode: 'MAINTENANCE_OVERDUE',
        family: 'lapse',
        message: 'MAINTENANCE_OVERDUE for c-sig',
        evidenceEventIds: [`ev-${d.id.slice(0, 8)}`],
        ruleVersion: '1',
        detectedAt: '2026-03-01T00:00:00.000Z',
        priority: 40,
        valueAtRisk: 1500,
      },
    });
    // Filtered out: wrong reason code, priority below 100, another dealer's subscription.
    await new Promise((r) => setTimeout(r, 500));
    expect(detractors.requests).toHaveLength(0);
    expect(urgent.requests).toHaveLength(0);
    expect(all.requests).toHaveLength(1);
    const dispatch = await h.dispatch();
    expect(dispatch.map((r) => [r.subscription_id, r.status])).toEqual([[subAll, 'delivered']]);
    expect(await h.log(deliveryId)).toEqual([
      { attempt: 1, status_code: 200, error: null, duration_ms: expect.any(Number) as number },
    ]);
    // The relay's own marks are untouched by the alert fan-out.
    const [ob] = await h.f.ds.query<{ dispatched: boolean; applied: boolean; scanned: boolean }[]>(
      `SELECT dispatched_at IS NOT NULL AS dispatched, applied_at IS NOT NULL AS applied,
              alerts_scanned_at IS NOT NULL AS scanned FROM outbox WHERE dedup_key = $1`,
      [d.id],
    );
    expect(ob).toEqual({ dispatched: true, applied: true, scanned: true });
  });

  it('retries a receiver that answers 500 twice: three attempts logged, exactly one accepted', async () => {
    const flaky = await startReceiver((n) => (n < 2 ? 500 : 200));
    receivers.push(flaky);
    const dealer = 'dealer-flaky';
    const sub = await h.subscribe(dealer, flaky.url, SECRET);
    const d = { ...valuedDecision({ customerId: 'c-flaky' }), dealerId: dealer };
    await h.f.publish([d]);
    const deliveryId = deliveryIdFor(dealer, d.id, sub);
    await waitFor('delivered', async () => {
      const [row] = await h.f.ds.query<{ status: string }[]>(
        'SELECT status FROM alert_dispatch WHERE delivery_id = $1',
        [deliveryId],
      );
      return row?.status === 'delivered';
    });
    await new Promise((r) => setTimeout(r, 800));
    expect(flaky.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    // Every attempt posts the same bytes, the same delivery id and a valid signature of its timestamp.
    expect(new Set(flaky.requests.map((r) => r.rawBody)).size).toBe(1);
    expect(new Set(flaky.requests.map((r) => r.headers['x-retention-delivery'])).size).toBe(1);
    for (const r of flaky.requests)
      expect(
        receiverVerifies(
          SECRET,
          r.rawBody,
          r.headers['x-retention-timestamp'],
          r.headers['x-retention-signature'],
        ),
      ).toBe(true);
    const log = await h.log(deliveryId);
    expect(log.map((l) => [l.attempt, l.status_code])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(log.filter((l) => l.status_code === 200)).toHaveLength(1);
    const job = await h.alerts.queue.getJob(alertJobId(deliveryId));
    expect(await job?.getState()).toBe('completed');
    expect(job?.attemptsMade).toBe(3);
  });

  it('stops at once when the receiver refuses the payload (4xx), and after the last attempt otherwise', async () => {
    const refusing = await startReceiver(() => 410);
    const down = await startReceiver(() => 503);
    receivers.push(refusing, down);
    const dealer = 'dealer-refusing';
    const subRefusing = await h.subscribe(dealer, refusing.url, SECRET);
    const subDown = await h.subscribe(dealer, down.url, SECRET);
    const d = { ...valuedDecision({ customerId: 'c-refused' }), dealerId: dealer };
    await h.f.publish([d]);
    const status = async (sub: string): Promise<{ status: string; last_error: string } | undefined> =>
      (
        await h.f.ds.query<{ status: string; last_error: string }[]>(
          'SELECT status, last_error FROM alert_dispatch WHERE delivery_id = $1',
          [deliveryIdFor(dealer, d.id, sub)],
        )
      )[0];
    await waitFor('both failed', async () =>
      (await status(subRefusing))?.status === 'failed' && (await status(subDown))?.status === 'failed'
        ? true
        : false,
    );
    expect(await status(subRefusing)).toEqual({ status: 'failed', last_error: 'receiver refused: HTTP 410' });
    expect(await status(subDown)).toEqual({ status: 'failed', last_error: 'HTTP 503' });
    expect(refusing.requests).toHaveLength(1);
    expect(down.requests).toHaveLength(5);
    expect(await h.log(deliveryIdFor(dealer, d.id, subDown))).toHaveLength(5);
  });

  it('reports the worker healthy through its blocking connection', async () => {
    await expect(h.alerts.health()).resolves.toMatchObject({ worker: 'ready' });
  });
});
