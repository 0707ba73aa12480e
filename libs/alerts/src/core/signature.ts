import { createHmac, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256=';

/** `sha256=<hex HMAC-SHA256 of the raw body>`: the x-retention-signature header value. */
export function signBody(secret: string, rawBody: string | Buffer): string {
  return PREFIX + createHmac('sha256', secret).update(rawBody).digest('hex');
}

/** Receiver side: constant-time check of an x-retention-signature header against the raw body. */
export function verifySignature(
  secret: string,
  rawBody: string | Buffer,
  header: string | undefined,
): boolean {
  if (typeof header !== 'string' || !header.startsWith(PREFIX)) return false;
  const expected = Buffer.from(signBody(secret, rawBody));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
