import { inHoldout } from '@rp/followups';
import { DEALER, followupsHarness, valuedDecision, type FollowupsHarness } from './harness';

describe('holdout share (2000 customers at 10 %)', () => {
  let h: FollowupsHarness;
  beforeAll(async () => {
    h = await followupsHarness({ rules: { holdoutShare: 0.1 } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('records the deterministic draw as holdout, never as open, within tolerance of the share', async () => {
    const customers = Array.from({ length: 2000 }, (_, i) => `cust-${i}`);
    await h.publish(customers.map((c) => valuedDecision({ customerId: c })));
    await h.waitApplied(2000, 120_000);
    const counts = await h.ds.query<{ status: string; n: string }[]>(
      'SELECT status, count(*) AS n FROM tasks GROUP BY status ORDER BY status',
    );
    const expected = customers.filter((c) => inHoldout(DEALER, c, 0.1)).length;
    expect(counts).toEqual([
      { status: 'holdout', n: String(expected) },
      { status: 'open', n: String(2000 - expected) },
    ]);
    // Binomial(2000, 0.1): sd ≈ 13.4, so ±45 is beyond 3 sd.
    expect(Math.abs(expected - 200)).toBeLessThanOrEqual(45);
    const held = await h.ds.query<{ customer_id: string }[]>(
      "SELECT customer_id FROM tasks WHERE status = 'holdout'",
    );
    expect(held.every((r) => inHoldout(DEALER, r.customer_id, 0.1))).toBe(true);
  });
});
