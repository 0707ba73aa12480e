import {
  Inject,
  Injectable,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request } from 'express';
import { DataSource } from 'typeorm';
import { ApiError } from '../http/api-error';
import { resolveCaller } from './token-store';
import type { Caller } from './token';

type WithCaller = Request & { caller?: Caller };

/** Resolves `Authorization: Bearer <token>` to the caller; 401 when missing, malformed, unknown or revoked. */
@Injectable()
export class BearerGuard implements CanActivate {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const req = ctx.switchToHttp().getRequest<WithCaller>();
    const header = req.headers.authorization;
    if (!header) throw new ApiError('UNAUTHENTICATED', 'missing Authorization: Bearer <token> header');
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new ApiError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <token>"');
    const caller = await resolveCaller(this.ds, m[1]);
    if (!caller) throw new ApiError('UNAUTHENTICATED', 'unknown, revoked or malformed token');
    req.caller = caller;
    return true;
  }
}

/** The caller resolved by BearerGuard. */
export const CurrentCaller = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<WithCaller>().caller;
  if (!caller) throw new ApiError('UNAUTHENTICATED', 'not signed in');
  return caller;
});
