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

/**
 * The holdout decision for a customer seen for the first time, recorded once (per customer, never per task):
 * held out when the deterministic draw puts it within the share and it has never been contacted (no task
 * that reached a person: open, claimed, or done after a claim; a holdout record a suppression closed is
 * none), so a customer already reached by outreach never enters the uncontacted group.
 */
export function drawHoldout(
  dealerId: string,
  customerId: string,
  share: number,
  contacted: boolean,
): boolean {
  return !contacted && inHoldout(dealerId, customerId, share);
}

/**
 * Whether a customer with a recorded decision is held out under the current share: one recorded as held out
 * stays so only while the share still covers its bucket (a lowered share or an ended experiment releases it,
 * for good); one recorded as not held out is never enrolled later (it has been contacted).
 */
export function heldOutNow(
  recordedHeld: boolean,
  dealerId: string,
  customerId: string,
  share: number,
): boolean {
  return recordedHeld && inHoldout(dealerId, customerId, share);
}
