import {
  Inject,
  Injectable,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { LOGGER, type Logger } from '@rp/observability';
import { ApiError } from '../http/api-error';
import { resolvePrincipal } from './token-store';
import { parseToken, type Caller } from './token';

type WithCaller = Request & { caller?: Caller };

/**
 * Resolves `Authorization: Bearer <token>` to a dealer's caller; 401 when missing, malformed, unknown,
 * revoked or expired, 403 for an operator token (platform staff see queues, never a dealer's tasks).
 */
@Injectable()
export class BearerGuard implements CanActivate {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<WithCaller>();
    const header = req.headers.authorization;
    if (!header) throw this.refuse(req, undefined, 'missing Authorization: Bearer <token> header');
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw this.refuse(req, undefined, 'the Authorization header must be "Bearer <token>"');
    const principal = await resolvePrincipal(this.ds, m[1]);
    if (!principal) throw this.refuse(req, m[1], 'unknown, revoked, expired or malformed token');
    if (principal.role === 'operator') {
      throw new ApiError(
        'FORBIDDEN',
        'an operator token cannot use the dealer API; use an admin or manager token',
      );
    }
    req.caller = principal;
    return true;
  }

  /**
   * The 401, logged with the token id when the token is well-formed (never its secret) and the client address,
   * so failed attempts can be noticed and attributed.
   */
  private refuse(req: Request, token: string | undefined, message: string): ApiError {
    const tokenId = token === undefined ? null : (parseToken(token)?.tokenId ?? null);
    this.logger.warn(
      { tokenId, clientAddress: req.ip ?? req.socket.remoteAddress ?? null, reason: message },
      'API authentication refused',
    );
    return new ApiError('UNAUTHENTICATED', message);
  }
}

/** The caller resolved by BearerGuard. */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<WithCaller>().caller;
  if (!caller) throw new ApiError('UNAUTHENTICATED', 'not signed in');
  return caller;
});
