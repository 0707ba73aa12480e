import { Body, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { LOGGER, type Logger } from '@rp/observability';
import { resolvePrincipal } from '../auth/token-store';
import { ADMIN_HEADERS, clearedCookie, crossSiteProblem, sessionCookie } from './operator-session';
import { SIGN_IN_CSP, signInPage } from './sign-in-page';
import { QUEUE_BOARD_PATH } from './queue-board-path';

/**
 * Browser sign-in for the queue dashboard: the form posts an operator token once, and gets it back as an
 * HttpOnly, SameSite=Strict cookie limited to /admin, which the operator guard verifies like a bearer token.
 */
@Controller('admin')
export class SignInController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get('sign-in')
  form(@Res() res: Response): void {
    this.page(res, 200);
  }

  @Post('sign-in')
  async signIn(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const crossSite = crossSiteProblem(req);
    if (crossSite) return this.page(res, 403, crossSite);
    const token = typeof body === 'object' && body !== null ? (body as { token?: unknown }).token : undefined;
    if (typeof token !== 'string' || token.trim() === '')
      return this.page(res, 401, 'paste an operator token');
    const principal = await resolvePrincipal(this.ds, token.trim());
    if (!principal) return this.page(res, 401, 'unknown, revoked, expired or malformed token');
    if (principal.role !== 'operator') {
      this.logger.info(
        { tokenId: principal.tokenId, role: principal.role },
        'queue dashboard sign-in refused',
      );
      return this.page(res, 403, 'the queue dashboard needs an operator token; dealer tokens cannot open it');
    }
    this.logger.info({ tokenId: principal.tokenId, subject: principal.subject }, 'operator signed in');
    res
      .set(ADMIN_HEADERS)
      .append('Set-Cookie', sessionCookie(req, token.trim()))
      .redirect(303, QUEUE_BOARD_PATH);
  }

  @Post('sign-out')
  signOut(@Req() req: Request, @Res() res: Response): void {
    const crossSite = crossSiteProblem(req);
    if (crossSite) return this.page(res, 403, crossSite);
    res.set(ADMIN_HEADERS).append('Set-Cookie', clearedCookie(req)).redirect(303, '/admin/sign-in');
  }

  private page(res: Response, status: number, message?: string): void {
    res
      .status(status)
      .set(ADMIN_HEADERS)
      .set('Content-Security-Policy', SIGN_IN_CSP)
      .type('html')
      .send(signInPage(message));
  }
}
