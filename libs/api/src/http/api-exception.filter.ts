import { randomUUID } from 'node:crypto';
import { Catch, HttpException, Inject, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { LOGGER, type Logger } from '@rp/observability';
import { ApiError } from './api-error';

/** Maps every error of the API routes to `{ error: { code, message, id } }`; the id is in the log too. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const id = randomUUID();
    let status = 500;
    let code = 'INTERNAL';
    let message = 'internal error; quote the error id when reporting it';
    if (err instanceof ApiError) {
      ({ status, code, message } = err);
    } else if (err instanceof HttpException) {
      status = err.getStatus();
      code =
        status === 404
          ? 'NOT_FOUND'
          : status === 401
            ? 'UNAUTHENTICATED'
            : status === 403
              ? 'FORBIDDEN'
              : `HTTP_${status}`;
      message = err.message;
    }
    if (status >= 500) this.logger.error({ err, errorId: id }, 'API request failed');
    else this.logger.info({ errorId: id, code, status }, 'API request refused');
    res.status(status).json({ error: { code, message, id } });
  }
}
