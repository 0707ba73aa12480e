import type { Request } from 'express';

/** The cookie holding an operator's token in the browser: HttpOnly, SameSite=Strict, only under /admin. */
export const OPERATOR_COOKIE = 'rp_operator';
export const ADMIN_PATH = '/admin';
/** A browser sign-in lasts a working day; the token itself stays valid until revoked. */
const COOKIE_MAX_AGE_S = 8 * 3600;

/** The value of one cookie of a `Cookie` header, or undefined. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Where the presented token came from; a malformed Authorization header is refused, never ignored. */
export type PresentedToken =
  { via: 'header' | 'cookie'; token: string } | { via: 'none' } | { via: 'malformed-header' };

/** The bearer header wins over the cookie (API clients); the cookie serves the browser. */
export function presentedToken(req: Request): PresentedToken {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m ? { via: 'header', token: m[1] } : { via: 'malformed-header' };
  }
  const cookie = readCookie(req.headers.cookie, OPERATOR_COOKIE);
  return cookie ? { via: 'cookie', token: cookie } : { via: 'none' };
}

/** The request came over TLS (directly, or through a proxy that says so): the cookie gets `Secure`. */
const overTls = (req: Request): boolean => req.secure || req.headers['x-forwarded-proto'] === 'https';

export function sessionCookie(req: Request, token: string): string {
  const secure = overTls(req) ? '; Secure' : '';
  return `${OPERATOR_COOKIE}=${token}; Path=${ADMIN_PATH}; Max-Age=${COOKIE_MAX_AGE_S}; HttpOnly; SameSite=Strict${secure}`;
}

export function clearedCookie(req: Request): string {
  const secure = overTls(req) ? '; Secure' : '';
  return `${OPERATOR_COOKIE}=; Path=${ADMIN_PATH}; Max-Age=0; HttpOnly; SameSite=Strict${secure}`;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A state-changing request riding on the cookie must come from our own pages. SameSite=Strict already
 * keeps the cookie off cross-site requests; this also refuses an Origin or Sec-Fetch-Site that says so.
 */
export function crossSiteProblem(req: Request): string | undefined {
  if (SAFE_METHODS.has(req.method)) return undefined;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `cross-site request refused (Sec-Fetch-Site: ${String(site)})`;
  }
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined; // "null" (opaque origin) or garbage
  }
  // Behind a proxy that rewrites Host, its X-Forwarded-Host names the public host. A cross-site page
  // cannot set that header on a request that carries our cookie without a CORS preflight we never grant.
  const ours = [req.headers.host, req.headers['x-forwarded-host']].flat().filter(Boolean);
  return host !== undefined && ours.includes(host)
    ? undefined
    : `cross-site request refused (Origin ${origin})`;
}

/** Headers of every dashboard and sign-in response: never cached, never framed (clickjacking). */
export const ADMIN_HEADERS: Record<string, string> = {
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};
