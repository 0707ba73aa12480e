import { createHash } from 'node:crypto';

/** Buckets of the holdout draw: a share is honoured to 1/10000. */
export const HOLDOUT_BUCKETS = 10_000;

/** The customer's stable bucket in [0, 10000): sha256(dealerId|customerId), first 48 bits, mod 10000. */
export function holdoutBucket(dealerId: string, customerId: string): number {
  const h = createHash('sha256').update(`${dealerId}|${customerId}`).digest();
  return h.readUIntBE(0, 6) % HOLDOUT_BUCKETS;
}

/** Deterministic draw: the same customer is always in (or out of) the holdout for a given share. */
export function inHoldout(dealerId: string, customerId: string, share: number): boolean {
  return holdoutBucket(dealerId, customerId) < Math.round(share * HOLDOUT_BUCKETS);
}
