import { RejectionCode } from './index';
import { NOW, SERVICE, accept, envelope, rejection, withData } from './spec-helpers';

/**
 * Money is bounded (|x| ≤ 1e12 major units): two contract-valid gross profits of 1e308 summed to Infinity
 * in the value model and failed every detection round of their dealer.
 */
describe('money amounts are bounded', () => {
  const parts = (patch: object) =>
    envelope('parts.sold', {
      invoiceId: 'i1',
      customerId: 'c1',
      branchId: 'b1',
      amount: 10,
      currency: 'EUR',
      ...patch,
    });

  it('accepts ±1e12 exactly', () => {
    expect(accept(parts({ amount: 1e12, grossProfit: -1e12 }), 'service').event.data).toMatchObject({
      amount: 1e12,
      grossProfit: -1e12,
    });
    expect(
      accept(withData({ laborAmount: 1e12, partsAmount: 1e12, grossProfit: 1e12 }), 'service'),
    ).toMatchObject({ event: { data: { laborAmount: 1e12, partsAmount: 1e12, grossProfit: 1e12 } } });
  });

  it.each([
    [parts({ grossProfit: 1e308 }), 'data.grossProfit: must lie between -1000000000000 and 1000000000000'],
    [parts({ grossProfit: -1.5e12 }), 'data.grossProfit: must lie between -1000000000000 and 1000000000000'],
    [parts({ amount: 1e12 + 1 }), 'data.amount: must lie between 0 and 1000000000000'],
    [withData({ laborAmount: 2e12 }), 'data.laborAmount: must lie between 0 and 1000000000000'],
    [withData({ partsAmount: 1e300 }), 'data.partsAmount: must lie between 0 and 1000000000000'],
    [withData({ grossProfit: 1e13 }), 'data.grossProfit: must lie between -1000000000000 and 1000000000000'],
  ])('SCHEMA_INVALID naming the field: %s', (raw, message) => {
    expect(rejection(raw, SERVICE)).toEqual({ code: RejectionCode.SCHEMA_INVALID, message });
  });

  it('bounds the price of a warranty.extended contract (the contract gives it no sign)', () => {
    const extended = (amount: number) =>
      envelope('warranty.extended', {
        serialNumber: 's1',
        contractId: 'k1',
        kind: 'extended-warranty',
        startsAt: '2026-01-01',
        endsAt: '2027-01-01',
        amount,
        currency: 'EUR',
      });
    expect(accept(extended(1e12), 'warranty').event.data).toMatchObject({ amount: 1e12 });
    expect(accept(extended(-250), 'warranty').event.data).toMatchObject({ amount: -250 });
    expect(rejection(extended(1e308), { topicKind: 'warranty', now: NOW })).toEqual({
      code: RejectionCode.SCHEMA_INVALID,
      message: 'data.amount: must lie between -1000000000000 and 1000000000000',
    });
  });

  it('a negative amount is still refused as negative', () => {
    expect(rejection(parts({ amount: -1 }), SERVICE).code).toBe(RejectionCode.SCHEMA_INVALID);
  });
});
