import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  addSubscription,
  ALERT_TYPES,
  AlertsRuntime,
  DEFAULT_ALERT_SETTINGS,
  type AlertSettings,
  type AlertType,
} from '@rp/alerts';
import { loadConfig } from '@rp/config';
import { createLogger } from '@rp/observability';
import type { FollowupSettings } from '@rp/followups';
import { followupsHarness, T0, type FollowupsHarness } from '../followups/harness';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  rawBody: string;
  atMs: number;
  status: number | 'hang';
}

/** What the receiver answers to its n-th request (0-based): a status code, or never answering. */
export type Behaviour = (n: number) => number | 'hang';

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  close: () => Promise<void>;
}

/** A real local HTTP receiver (node:http) that records raw bodies and answers as told. */
export async function startReceiver(behaviour: Behaviour = () => 200): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = behaviour(requests.length);
      requests.push({
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
        atMs: Date.now(),
        status,
      });
      if (status === 'hang') return;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A URL on a port that was just free: nothing listens there (connection refused). */
export async function closedPortUrl(): Promise<string> {
  const r = await startReceiver();
  await r.close();
  return r.url;
}

export interface AlertsHarness {
  f: FollowupsHarness;
  alerts: AlertsRuntime;
  subscribe: (
    dealerId: string,
    url: string,
    secret: string,
    reasons?: string[],
    minPriority?: number,
    alertTypes?: AlertType[],
  ) => Promise<string>;
  dispatch: () => Promise<
    { dealer_id: string; decision_id: string; subscription_id: string; delivery_id: string; status: string }[]
  >;
  log: (
    deliveryId: string,
  ) => Promise<{ attempt: number; status_code: number | null; error: string | null; duration_ms: number }[]>;
  close: () => Promise<void>;
}

/** The receivers of these tests listen on loopback over http: the environment allows exactly that. */
export const LOOPBACK_WEBHOOK_ENV = { ALERT_ALLOW_HTTP: 'true', ALERT_ALLOW_PRIVATE_TARGETS: 'true' };

/**
 * The followups harness (own schema, own queue prefix, real task runtime; `followups` overrides and the
 * injected task clock passed on) plus the alerts runtime. The task clock defaults to T0, when the test
 * decisions are detected: their tasks are not overdue, so no escalation alert joins the churn alerts.
 */
export async function alertsHarness(
  over: Partial<AlertSettings> = {},
  followups: Partial<Omit<FollowupSettings, 'rules'>> & { rules?: Partial<FollowupSettings['rules']> } = {},
  clock?: () => number,
): Promise<AlertsHarness> {
  const f = await followupsHarness(followups, clock ?? (() => T0));
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', {}, process.env.TEST_LOG_FILE);
  const alerts = new AlertsRuntime({
    ds: f.ds,
    redisUrl: f.config.redis.url,
    queuePrefix: f.config.redis.queuePrefix,
    settings: {
      ...DEFAULT_ALERT_SETTINGS,
      allowPrivateTargets: true,
      pollIdleMs: 50,
      backoffMs: 100,
      timeoutMs: 1_000,
      ...over,
    },
    logger,
  });
  await alerts.start();
  const urlPolicy = loadConfig(LOOPBACK_WEBHOOK_ENV).alerts.webhookUrls;
  return {
    f,
    alerts,
    subscribe: (dealerId, url, secret, reasons, minPriority = 0, alertTypes = [...ALERT_TYPES]) =>
      addSubscription(
        f.ds,
        { dealerId, url, secret, reasonCodes: reasons ?? null, minPriority, alertTypes },
        urlPolicy,
      ),
    dispatch: () =>
      f.ds.query('SELECT * FROM alert_dispatch ORDER BY dealer_id, decision_id, subscription_id'),
    log: (deliveryId) =>
      f.ds.query(
        'SELECT attempt, status_code, error, duration_ms FROM alert_deliveries WHERE delivery_id = $1 ORDER BY id',
        [deliveryId],
      ),
    close: async () => {
      await alerts.queue.obliterate({ force: true }).catch(() => undefined);
      await alerts.stop();
      await f.close();
    },
  };
}
