import { holdoutBucket, inHoldout } from './holdout';

describe('holdout draw', () => {
  it('is a stable bucket of sha256(dealerId|customerId)', () => {
    expect(holdoutBucket('dealer-1', 'c1')).toBe(holdoutBucket('dealer-1', 'c1'));
    expect(holdoutBucket('dealer-1', 'c1')).not.toBe(holdoutBucket('dealer-2', 'c1'));
    const b = holdoutBucket('dealer-1', 'c1');
    expect(b).toBeGreaterThanOrEqual(0);
    expect(b).toBeLessThan(10_000);
  });

  it('keeps nobody at 0 %, everybody at 100 %, and the bucket boundary exact', () => {
    const b = holdoutBucket('dealer-1', 'c1');
    expect(inHoldout('dealer-1', 'c1', 0)).toBe(false);
    expect(inHoldout('dealer-1', 'c1', 1)).toBe(true);
    expect(inHoldout('dealer-1', 'c1', (b + 1) / 10_000)).toBe(true);
    expect(inHoldout('dealer-1', 'c1', b / 10_000)).toBe(false);
  });

  it('draws close to the share over 20 000 customers', () => {
    const n = 20_000;
    let held = 0;
    for (let i = 0; i < n; i++) if (inHoldout('dealer-1', `c${i}`, 0.1)) held++;
    expect(Math.abs(held / n - 0.1)).toBeLessThan(0.01);
  });
});
