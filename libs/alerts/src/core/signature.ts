import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';

/** How far (seconds) a receiver may accept an x-retention-timestamp from its own clock (replay window). */
export const SIGNATURE_TOLERANCE_SEC = 300;

/**
 * `sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`: the x-retention-signature header value.
 * The timestamp (x-retention-timestamp, Unix seconds) is signed with the body, Stripe-style, so a captured
 * alert cannot be replayed later under a fresh timestamp: the receiver checks the signature, then that
 * the timestamp is within SIGNATURE_TOLERANCE_SEC of its clock.
 */
export function signBody(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return PREFIX + createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/**
 * Receiver side: constant-time check of the x-retention-signature header against the x-retention-timestamp
 * header and the raw body; with `nowMs`, the timestamp must also lie within `toleranceSec` of it.
 */
export function verifySignature(
  secret: string,
  rawBody: string | Buffer,
  timestamp: string | undefined,
  header: string | undefined,
  nowMs?: number,
  toleranceSec = SIGNATURE_TOLERANCE_SEC,
): boolean {
  if (typeof header !== 'string' || !header.startsWith(PREFIX)) return false;
  if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp)) return false;
  if (nowMs !== undefined && Math.abs(nowMs / 1000 - Number(timestamp)) > toleranceSec) return false;
  const expected = Buffer.from(signBody(secret, timestamp, rawBody));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
