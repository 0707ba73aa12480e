import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { API_PREFIX, apiResponseHeaders } from '@rp/api';
import type { AppConfig } from '@rp/config';
import { Metrics, PinoNestLogger, type Logger } from '@rp/observability';
import { AppModule } from '../app.module';
import { USAGE_EXIT } from './usage';

/** Boots the configured roles and the HTTP server (health, metrics, and the API when `api` runs). */
export async function serve(config: AppConfig, logger: Logger): Promise<INestApplication> {
  const metrics = new Metrics();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, logger, metrics), {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  // No framework advert; every dealer API answer (errors and unknown routes too) gets no-store and nosniff.
  app.disable('x-powered-by');
  app.use(API_PREFIX, apiResponseHeaders);
  await app.init(); // the roles start here: their errors are not listen errors
  try {
    await app.listen(config.http.port, config.http.host);
  } catch (err) {
    // A bad HTTP_HOST or a port in use is a configuration error: one line naming the variables, exit 2.
    await app.close().catch(() => undefined);
    process.stderr.write(`serve: ${listenProblem(config.http, err)}\n`);
    process.exit(USAGE_EXIT);
  }
  // SIGTERM/SIGINT: close Nest (consumers drain their batch, connections close), then exit 0.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      app.close().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  logger.info(
    { roles: config.roles, url: `http://${config.http.host}:${config.http.port}` },
    'retention pipeline up',
  );
  return app;
}

/** Why the HTTP server could not listen, naming the variables to change. */
export function listenProblem(http: AppConfig['http'], err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    EADDRINUSE: 'the port is in use',
    EADDRNOTAVAIL: 'the address is not on this machine',
    EACCES: 'permission denied',
    ENOTFOUND: 'the host name does not resolve',
    EAI_AGAIN: 'the host name does not resolve',
  };
  const reason = code ? `${code}: ${why[code] ?? (err as Error).message}` : String(err);
  return `HTTP_HOST/HTTP_PORT: cannot listen on ${http.host}:${http.port} (${reason})`;
}
