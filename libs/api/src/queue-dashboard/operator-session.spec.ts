import type { Request } from 'express';
import {
  clearedCookie,
  crossSiteProblem,
  presentedToken,
  readCookie,
  sessionCookie,
} from './operator-session';

const TOKEN = 'rpt_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const req = (method: string, headers: Record<string, string>, secure = false): Request =>
  ({ method, headers, secure }) as unknown as Request;

describe('operator session', () => {
  it('reads one cookie among others', () => {
    expect(readCookie(`a=1; rp_operator=${TOKEN}; b=2`, 'rp_operator')).toBe(TOKEN);
    expect(readCookie('a=1; xrp_operator=z', 'rp_operator')).toBeUndefined();
    expect(readCookie(undefined, 'rp_operator')).toBeUndefined();
  });

  it('takes the bearer header before the cookie and refuses a malformed header', () => {
    const cookie = `rp_operator=${TOKEN}`;
    expect(presentedToken(req('GET', { cookie }))).toEqual({ via: 'cookie', token: TOKEN });
    expect(presentedToken(req('GET', { cookie, authorization: 'Bearer abc' }))).toEqual({
      via: 'header',
      token: 'abc',
    });
    expect(presentedToken(req('GET', { cookie, authorization: TOKEN }))).toEqual({ via: 'malformed-header' });
    expect(presentedToken(req('GET', {}))).toEqual({ via: 'none' });
  });

  it('sets an HttpOnly, SameSite=Strict cookie under /admin, Secure over TLS', () => {
    expect(sessionCookie(req('POST', {}), TOKEN)).toBe(
      `rp_operator=${TOKEN}; Path=/admin; Max-Age=28800; HttpOnly; SameSite=Strict`,
    );
    expect(sessionCookie(req('POST', {}, true), TOKEN)).toMatch(/; Secure$/);
    expect(sessionCookie(req('POST', { 'x-forwarded-proto': 'https' }), TOKEN)).toMatch(/; Secure$/);
    expect(clearedCookie(req('POST', {}))).toBe(
      'rp_operator=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict',
    );
  });

  it('refuses state changes from another site, never reads', () => {
    const host = { host: 'ops.example:3000' };
    expect(crossSiteProblem(req('GET', { ...host, origin: 'https://evil.example' }))).toBeUndefined();
    expect(crossSiteProblem(req('PUT', { ...host, origin: 'http://ops.example:3000' }))).toBeUndefined();
    expect(crossSiteProblem(req('PUT', host))).toBeUndefined();
    expect(crossSiteProblem(req('PUT', { ...host, origin: 'https://evil.example' }))).toBe(
      'cross-site request refused (Origin https://evil.example)',
    );
    expect(crossSiteProblem(req('POST', { ...host, origin: 'null' }))).toBe(
      'cross-site request refused (Origin null)',
    );
    expect(crossSiteProblem(req('POST', { ...host, 'sec-fetch-site': 'same-site' }))).toBe(
      'cross-site request refused (Sec-Fetch-Site: same-site)',
    );
    const proxied = { host: 'app:3000', 'x-forwarded-host': 'ops.example', origin: 'https://ops.example' };
    expect(crossSiteProblem(req('PATCH', proxied))).toBeUndefined();
  });
});
