import { randomUUID } from 'node:crypto';
import { Catch, HttpException, Inject, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';
import { LOGGER, type Logger } from '@rp/observability';
import { ApiError } from './api-error';

/** The dealer API's routes; everything else (health, metrics, inbox page, queue dashboard) keeps Nest's answers. */
export const API_PREFIX = '/api/v1';

const isApiPath = (url: string): boolean =>
  url === API_PREFIX || url.startsWith(`${API_PREFIX}/`) || url.startsWith(`${API_PREFIX}?`);

/**
 * Maps every error of the API routes to `{ error: { code, message, id } }`; the id is in the log too.
 * Registered globally (APP_FILTER), so errors raised before a controller runs — a malformed JSON body,
 * an unknown route under /api/v1 — get the same shape; other paths get Nest's default handling.
 */
@Catch()
export class ApiExceptionFilter extends BaseExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {
    super();
  }

  override catch(err: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') return super.catch(err, host);
    const req = host.switchToHttp().getRequest<Request>();
    if (!isApiPath(req.originalUrl ?? req.url)) return super.catch(err, host);
    const res = host.switchToHttp().getResponse<Response>();
    const id = randomUUID();
    const { status, code, message } = describe(err);
    if (status >= 500) this.logger.error({ err, errorId: id }, 'API request failed');
    else this.logger.info({ errorId: id, code, status }, 'API request refused');
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(status).json({ error: { code, message, id } });
  }
}

function describe(err: unknown): { status: number; code: string; message: string } {
  if (err instanceof ApiError) return { status: err.status, code: err.code, message: err.message };
  if (err instanceof HttpException) {
    const status = err.getStatus();
    const named: Record<number, string> = {
      400: 'VALIDATION_FAILED',
      401: 'UNAUTHENTICATED',
      403: 'FORBIDDEN',
      404: 'NOT_FOUND',
    };
    return { status, code: named[status] ?? `HTTP_${status}`, message: requestProblem(err.message) };
  }
  // body-parser's own refusals (413 too large, 415 charset…): http-errors with a message meant for clients.
  const e = err as { status?: unknown; expose?: unknown; message?: unknown };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose === true) {
    return { status: e.status, code: `HTTP_${e.status}`, message: String(e.message) };
  }
  return { status: 500, code: 'INTERNAL', message: 'internal error; quote the error id when reporting it' };
}

/** Body-parser's JSON.parse message names no field: say which input was wrong. */
const requestProblem = (message: string): string =>
  /JSON/.test(message) && !message.startsWith('body') ? `body: not valid JSON (${message})` : message;
