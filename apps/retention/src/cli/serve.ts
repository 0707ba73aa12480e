import { ModulesContainer, NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { API_PREFIX, apiResponseHeaders } from '@rp/api';
import type { AppConfig } from '@rp/config';
import { Metrics, PinoNestLogger, type Logger } from '@rp/observability';
import { AppModule } from '../app.module';
import { USAGE_EXIT } from './usage';

/** Exit code when the graceful close has not finished within SHUTDOWN_TIMEOUT_MS (as `timeout(1)`). */
export const SHUTDOWN_TIMEOUT_EXIT = 124;

/** Boots the configured roles and the HTTP server (health, metrics, and the API when `api` runs). */
export async function serve(config: AppConfig, logger: Logger): Promise<INestApplication> {
  // Installed before anything starts: a SIGTERM during boot (migrations, consumer join) is handled too.
  const shutdown = new GracefulShutdown(logger, config.shutdownTimeoutMs);
  shutdown.install();
  const metrics = new Metrics();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(config, logger, metrics), {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  // No framework advert; every dealer API answer (errors and unknown routes too) gets no-store and nosniff.
  app.disable('x-powered-by');
  app.use(shutdown.middleware);
  app.use(API_PREFIX, apiResponseHeaders);
  if (!shutdown.started) await app.init(); // the roles start here: their errors are not listen errors
  if (!shutdown.started) {
    try {
      await app.listen(config.http.port, config.http.host);
    } catch (err) {
      // A bad HTTP_HOST or a port in use is a configuration error: one line naming the variables, exit 2.
      await app.close().catch(() => undefined);
      process.stderr.write(`serve: ${listenProblem(config.http, err)}\n`);
      process.exit(USAGE_EXIT);
    }
    logger.info(
      { roles: config.roles, url: `http://${config.http.host}:${config.http.port}` },
      'retention pipeline up',
    );
  }
  shutdown.ready(app); // a signal received so far closes the app now
  return app;
}

const HOOKS = ['onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown'] as const;
type Hooked = Partial<Record<(typeof HOOKS)[number], (...args: unknown[]) => unknown>>;

/**
 * SIGTERM/SIGINT: /health answers 503 at once (a load balancer stops routing here), then Nest closes (consumers
 * drain their batch, the HTTP server stops, connections close) and the process exits 0, or 1 if closing
 * failed. A close still running after `timeoutMs` is logged at error with the lifecycle hooks still pending and
 * exits 124; a second signal exits at once with 128 + the signal number (130 SIGINT, 143 SIGTERM).
 */
export class GracefulShutdown {
  started = false;
  private readonly pending = new Set<string>();
  private app?: INestApplication;

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs: number,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  install(): void {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => this.onSignal(signal));
  }

  /** While draining: /health is 503 "shutting down"; answers close their connection (no keep-alive reuse). */
  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (!this.started) return next();
    res.setHeader('Connection', 'close');
    if (req.method !== 'GET' || req.path !== '/health') return next();
    const down = { process: { status: 'down', message: 'shutting down' } };
    res.status(503).json({ status: 'error', info: {}, error: down, details: down });
  };

  /** The app is built (and, unless a signal came first, listening): close it now if a signal already came. */
  ready(app: INestApplication): void {
    this.app = app;
    this.track(app);
    if (this.started) this.close(app);
  }

  private onSignal(signal: 'SIGTERM' | 'SIGINT'): void {
    if (this.started) {
      this.logger.error(
        { signal, pending: [...this.pending] },
        'second signal: exiting without finishing the drain',
      );
      return this.exit(128 + (signal === 'SIGINT' ? 2 : 15));
    }
    this.started = true;
    this.logger.info({ signal, timeoutMs: this.timeoutMs }, 'shutting down');
    setTimeout(() => {
      const pending = this.app ? [...this.pending] : ['boot (the app was still starting)'];
      this.logger.error(
        { timeoutMs: this.timeoutMs, pending },
        `shutdown did not finish within SHUTDOWN_TIMEOUT_MS; exiting ${SHUTDOWN_TIMEOUT_EXIT}`,
      );
      this.exit(SHUTDOWN_TIMEOUT_EXIT);
    }, this.timeoutMs);
    if (this.app) this.close(this.app);
  }

  private close(app: INestApplication): void {
    app.close().then(
      () => this.exit(0),
      (err: unknown) => {
        this.logger.error({ err }, 'shutdown failed');
        this.exit(1);
      },
    );
  }

  /** Records which lifecycle hooks are running, so a timed-out shutdown can name them. */
  private track(app: INestApplication): void {
    const seen = new WeakSet<object>();
    for (const module of app.get(ModulesContainer).values()) {
      const wrappers = [
        ...module.providers.values(),
        ...module.controllers.values(),
        ...module.injectables.values(),
      ];
      for (const wrapper of wrappers) {
        const instance = (wrapper.isDependencyTreeStatic() ? wrapper.instance : undefined) as
          Hooked | undefined;
        if (!instance || typeof instance !== 'object' || seen.has(instance)) continue;
        seen.add(instance);
        for (const hook of HOOKS) {
          const original = instance[hook];
          if (typeof original !== 'function') continue;
          const label = `${instance.constructor.name}.${hook}`;
          instance[hook] = async (...args: unknown[]) => {
            this.pending.add(label);
            try {
              return await original.apply(instance, args);
            } finally {
              this.pending.delete(label);
            }
          };
        }
      }
    }
  }
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
