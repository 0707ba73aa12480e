import { createHmac } from 'node:crypto';
import { signBody, verifySignature } from './signature';

describe('webhook signature', () => {
  const body = '{"type":"churn.alert","deliveryId":"abc"}';
  const ts = '1772323200';
  const key = 'k1-0123456789abcdef';

  it('is sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">', () => {
    const hex = createHmac('sha256', 'topsecret-0123456789').update(`${ts}.${body}`).digest('hex');
    expect(signBody('topsecret-0123456789', ts, body)).toBe(`sha256=${hex}`);
    expect(signBody('s', ts, body)).toMatch(/^sha256=[0-9a-f]{64}$/);
  });

  it('verifies with the right secret, timestamp and body only', () => {
    const sig = signBody(key, ts, body);
    expect(verifySignature(key, body, ts, sig)).toBe(true);
    expect(verifySignature(key, Buffer.from(body), ts, sig)).toBe(true);
    expect(verifySignature('k2-0123456789abcdef', body, ts, sig)).toBe(false);
    expect(verifySignature(key, `${body} `, ts, sig)).toBe(false);
    expect(verifySignature(key, body, ts, sig.slice(7))).toBe(false);
    expect(verifySignature(key, body, ts, 'sha256=00')).toBe(false);
    expect(verifySignature(key, body, ts, undefined)).toBe(false);
    expect(verifySignature(key, body, undefined, sig)).toBe(false);
  });

  it('fails when a captured alert is replayed under a fresh timestamp', () => {
    const sig = signBody(key, ts, body);
    expect(verifySignature(key, body, '1772323500', sig)).toBe(false);
    // The old signature over the body alone no longer verifies under any timestamp.
    const bodyOnly = `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
    expect(verifySignature(key, body, ts, bodyOnly)).toBe(false);
  });

  it('with the receiver clock, accepts a timestamp within 5 minutes and refuses an older one', () => {
    const sig = signBody(key, ts, body);
    const at = Number(ts) * 1000;
    expect(verifySignature(key, body, ts, sig, at + 300_000)).toBe(true);
    expect(verifySignature(key, body, ts, sig, at + 301_000)).toBe(false);
    expect(verifySignature(key, body, ts, sig, at - 301_000)).toBe(false);
  });
});
