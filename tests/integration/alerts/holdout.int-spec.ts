import { inHoldout } from '@rp/followups';
import { waitFor } from '../../support';
import { DEALER, valuedDecision } from '../followups/harness';
import { alertsHarness, startReceiver, type AlertsHarness, type Receiver } from './harness';

const SHARE = 0.5;

describe('held-out customers get no churn alert (the tasks’ holdout draw)', () => {
  let h: AlertsHarness;
  let receiver: Receiver;
  beforeAll(async () => {
    h = await alertsHarness({ holdoutShare: SHARE }, { rules: { holdoutShare: SHARE } });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  it('creates no delivery for a held-out customer, and one for a customer in the treatment group', async () => {
    const customers = Array.from({ length: 50 }, (_, i) => `c-${i}`);
    const heldOut = customers.find((c) => inHoldout(DEALER, c, SHARE))!;
    const treated = customers.find((c) => !inHoldout(DEALER, c, SHARE))!;
    await h.subscribe(DEALER, receiver.url, 'whsec-holdout-0123456789');
    const held = valuedDecision({ customerId: heldOut });
    const contact = valuedDecision({ customerId: treated });
    await h.f.publish([held, contact]);

    await waitFor('both decisions scanned by the fan-out', async () => {
      const rows = await h.f.ds.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM outbox WHERE kind = 'decision' AND alerts_scanned_at IS NOT NULL`,
      );
      return rows[0].n === '2';
    });
    await waitFor('treated customer alerted', () => receiver.requests.length === 1);
    await h.f.waitApplied(2);
    await new Promise((r) => setTimeout(r, 500));

    expect(
      receiver.requests.map(
        (r) => (JSON.parse(r.rawBody) as { decision: { customerId: string } }).decision.customerId,
      ),
    ).toEqual([treated]);
    expect((await h.dispatch()).map((r) => [r.decision_id, r.status])).toEqual([[contact.id, 'delivered']]);
    const tasks = await h.f.tasks();
    expect(tasks.map((t) => [t.customer_id, t.status]).sort()).toEqual(
      [
        [heldOut, 'holdout'],
        [treated, 'open'],
      ].sort(),
    );
  });
});

describe('with no holdout every matching decision is alerted', () => {
  let h: AlertsHarness;
  let receiver: Receiver;
  beforeAll(async () => {
    h = await alertsHarness({ holdoutShare: 0 });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await h.close();
    await receiver.close();
  });

  it('creates a delivery for a customer the 50 % draw would hold out', async () => {
    const customer = Array.from({ length: 50 }, (_, i) => `c-${i}`).find((c) => inHoldout(DEALER, c, SHARE))!;
    await h.subscribe(DEALER, receiver.url, 'whsec-holdout-0123456789');
    const d = valuedDecision({ customerId: customer });
    await h.f.publish([d]);
    await waitFor('alert delivered', () => receiver.requests.length === 1);
    expect((await h.dispatch()).map((r) => [r.decision_id, r.status])).toEqual([[d.id, 'delivered']]);
  });
});
