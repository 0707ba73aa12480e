import { ownerAsOf } from './machine-owner';

describe('ownerAsOf', () => {
  const sold = {
    customer_id: 'c3',
    transfers: [
      { at: 100, from: 'c1', to: 'c2' },
      { at: 200, from: 'c2', to: 'c3' },
      { at: 200, from: 'c2', to: 'c4' }, // same instant: the later event id (Postgres' order) wins
    ],
  };

  it('a machine never transferred belongs to its owner (or to nobody) at any instant', () => {
    expect(ownerAsOf({ customer_id: 'c1', transfers: [] }, 0)).toBe('c1');
    expect(ownerAsOf({ customer_id: null, transfers: [] }, 0)).toBeNull();
  });

  it('before the first transfer: its seller; from a transfer on: its buyer, later transfers ignored', () => {
    expect(ownerAsOf(sold, 99)).toBe('c1');
    expect(ownerAsOf(sold, 100)).toBe('c2');
    expect(ownerAsOf(sold, 199)).toBe('c2');
    expect(ownerAsOf(sold, 200)).toBe('c4');
    expect(ownerAsOf(sold, 10_000)).toBe('c4');
  });

  it('a first transfer without a seller: nobody owned it before', () => {
    expect(ownerAsOf({ customer_id: 'c2', transfers: [{ at: 50, from: null, to: 'c2' }] }, 49)).toBeNull();
  });
});
