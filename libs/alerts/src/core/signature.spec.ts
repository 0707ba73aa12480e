import { createHmac } from 'node:crypto';
import { signBody, verifySignature } from './signature';

describe('webhook signature', () => {
  const body = '{"type":"churn.alert","deliveryId":"abc"}';
  it('is sha256=<hex HMAC-SHA256 of the raw body>', () => {
    const hex = createHmac('sha256', 'topsecret-0123456789').update(body).digest('hex');
    expect(signBody('topsecret-0123456789', body)).toBe(`sha256=${hex}`);
    expect(signBody('s', body)).toMatch(/^sha256=[0-9a-f]{64}$/);
  });
  it('verifies with the right secret and body only', () => {
    const sig = signBody('k1-0123456789abcdef', body);
    expect(verifySignature('k1-0123456789abcdef', body, sig)).toBe(true);
    expect(verifySignature('k1-0123456789abcdef', Buffer.from(body), sig)).toBe(true);
    expect(verifySignature('k2-0123456789abcdef', body, sig)).toBe(false);
    expect(verifySignature('k1-0123456789abcdef', `${body} `, sig)).toBe(false);
    expect(verifySignature('k1-0123456789abcdef', body, sig.slice(7))).toBe(false);
    expect(verifySignature('k1-0123456789abcdef', body, 'sha256=00')).toBe(false);
    expect(verifySignature('k1-0123456789abcdef', body, undefined)).toBe(false);
  });
});
