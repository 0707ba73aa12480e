import { deliveryIdFor } from '@rp/alerts';
import { waitFor } from '../../support';
import { valuedDecision } from '../followups/harness';
import { alertsHarness, closedPortUrl, startReceiver, type AlertsHarness, type Receiver } from './harness';

const SECRET = 'whsec-isolation-0123456789';

describe('a dead receiver blocks neither tasks nor other dealers (Postgres + Redis + HTTP)', () => {
  let h: AlertsHarness;
  let hanging: Receiver;
  let healthy: Receiver;
  beforeAll(async () => {
    // 8 attempts from 100 ms: dealer A keeps retrying for the whole test.
    h = await alertsHarness({ attempts: 8, backoffMs: 100, timeoutMs: 1_500, concurrency: 8 });
    hanging = await startReceiver(() => 'hang');
    healthy = await startReceiver();
  });
  afterAll(async () => {
    await h.close();
    await hanging.close();
    await healthy.close();
  });

  it('delivers dealer B within a couple of seconds and creates every task while A times out and retries', async () => {
    const subHang = await h.subscribe('dealer-a', hanging.url, SECRET);
    const subClosed = await h.subscribe('dealer-a', await closedPortUrl(), SECRET);
    const subB = await h.subscribe('dealer-b', healthy.url, SECRET);
    const a = [1, 2, 3, 4].map((i) => ({
      ...valuedDecision({ customerId: `c-a${i}` }),
      dealerId: 'dealer-a',
    }));
    await h.f.publish(a);
    await waitFor('A hanging', () => hanging.requests.length >= 4, 10_000, 20);

    const b = { ...valuedDecision({ customerId: 'c-b' }), dealerId: 'dealer-b' };
    const publishedAt = Date.now();
    await h.f.publish([b]);
    await waitFor('B delivered', () => healthy.requests.length === 1, 5_000, 20);
    const bLatency = healthy.requests[0].atMs - publishedAt;
    expect(bLatency).toBeLessThan(2_000);
    // …while A's first receiver was still hanging (its attempt had not yet timed out).
    expect(healthy.requests[0].atMs).toBeLessThan(hanging.requests[0].atMs + 1_500);
    // Every decision, A's and B's, became a task meanwhile.
    await h.f.waitApplied(5, 5_000);
    expect((await h.f.tasks()).map((t) => t.customer_id).sort()).toEqual([
      'c-a1',
      'c-a2',
      'c-a3',
      'c-a4',
      'c-b',
    ]);

    await waitFor('B marked delivered', async () => {
      const [row] = await h.f.ds.query<{ status: string }[]>(
        'SELECT status FROM alert_dispatch WHERE delivery_id = $1',
        [deliveryIdFor('dealer-b', b.id, subB)],
      );
      return row?.status === 'delivered';
    });

    // A: the hanging receiver is cut at the timeout, the closed port is refused; both keep retrying.
    const hangLog = (await waitFor('A timed out', async () => {
      const log = await h.log(deliveryIdFor('dealer-a', a[0].id, subHang));
      return log.length >= 1 ? log : undefined;
    }))!;
    expect(hangLog[0]).toMatchObject({ attempt: 1, status_code: null, error: 'timed out after 1500 ms' });
    expect(hangLog[0].duration_ms).toBeGreaterThanOrEqual(1_400);
    expect(hangLog[0].duration_ms).toBeLessThan(3_000);
    const closedLog = await h.log(deliveryIdFor('dealer-a', a[0].id, subClosed));
    expect(closedLog.length).toBeGreaterThanOrEqual(2);
    expect(closedLog[0]).toMatchObject({ attempt: 1, status_code: null, error: 'ECONNREFUSED' });
    const aRows = await h.f.ds.query<{ status: string }[]>(
      `SELECT status FROM alert_dispatch WHERE dealer_id = 'dealer-a'`,
    );
    expect(aRows.map((r) => r.status)).toEqual(Array(8).fill('pending'));
  });
});
