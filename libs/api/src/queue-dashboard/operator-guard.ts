import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Logger } from '@rp/observability';
import { resolvePrincipal } from '../auth/token-store';
import { ApiError } from '../http/api-error';
import { ADMIN_HEADERS, clearedCookie, crossSiteProblem, presentedToken } from './operator-session';
import { SIGN_IN_CSP, signInPage } from './sign-in-page';

/** A browser navigating to the board (not its JSON API or a script) gets the sign-in form with the 401. */
const wantsPage = (req: Request): boolean =>
  req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');

/**
 * Lets only operator tokens through to the queue dashboard: its pages, JSON API and static assets.
 * 401 without or with a bad token (bearer header or sign-in cookie), 403 for a dealer token or a
 * cross-site request riding on the cookie. The queues hold every dealer's jobs, so no dealer role opens it.
 */
export function operatorGuard(ds: DataSource, logger: Logger): RequestHandler {
  const refuse = (req: Request, res: Response, err: ApiError, clearCookie = false): void => {
    const id = randomUUID();
    logger.info(
      { errorId: id, code: err.code, status: err.status, path: req.path.slice(0, 200) }, // bounded: unauthenticated input
      'queue dashboard refused',
    );
    res.set(ADMIN_HEADERS);
    if (clearCookie) res.append('Set-Cookie', clearedCookie(req));
    if (wantsPage(req)) {
      res
        .status(err.status)
        .set('Content-Security-Policy', SIGN_IN_CSP)
        .type('html')
        .send(signInPage(err.message));
      return;
    }
    res.status(err.status).json({ error: { code: err.code, message: err.message, id } });
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    const presented = presentedToken(req);
    if (presented.via === 'none') {
      return refuse(req, res, new ApiError('UNAUTHENTICATED', 'sign in with an operator token'));
    }
    if (presented.via === 'malformed-header') {
      return refuse(
        req,
        res,
        new ApiError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <token>"'),
      );
    }
    resolvePrincipal(ds, presented.token).then(
      (principal) => {
        const byCookie = presented.via === 'cookie';
        if (!principal) {
          return refuse(
            req,
            res,
            new ApiError('UNAUTHENTICATED', 'unknown, revoked, expired or malformed token'),
            byCookie,
          );
        }
        if (principal.role !== 'operator') {
          return refuse(
            req,
            res,
            new ApiError(
              'FORBIDDEN',
              'the queue dashboard needs an operator token; dealer tokens cannot open it',
            ),
            byCookie,
          );
        }
        const crossSite = byCookie ? crossSiteProblem(req) : undefined;
        if (crossSite) return refuse(req, res, new ApiError('FORBIDDEN', crossSite));
        res.set(ADMIN_HEADERS);
        next();
      },
      (err: unknown) => next(err),
    );
  };
}
