import { UnrecoverableError, type Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Logger } from '@rp/observability';
import { classifyStatus } from '../core/delivery-outcome';
import { escalationAlertPayload, parseAlertEscalation } from '../core/escalation-payload';
import { alertPayload, parseAlertDecision } from '../core/payload';
import { signBody } from '../core/signature';
import { AlertJob, type DeliverJobData } from './job-names';
import { postWebhook, type PostResult } from './post-webhook';

export interface AlertProcessorDeps {
  ds: DataSource;
  timeoutMs: number;
  /** Off: a host that resolves to a non-public address is not contacted (DNS names, not only literals). */
  allowPrivateTargets?: boolean;
  logger: Logger;
  /** Wall clock (ms) for the timestamp header and durations; injected in tests. */
  clock: () => number;
}

interface DispatchRow {
  status: string;
  source_kind: 'decision' | 'escalation';
  subscription_id: string;
  url: string | null;
  secret: string | null;
  active: boolean | null;
  payload: unknown;
}

type Handler = (job: Job) => Promise<string>;

/**
 * One handler per job name, checked when the worker is built. A thrown Error is retried with back-off
 * (receiver down, 5xx, timeout); UnrecoverableError fails the job at once (receiver refused it, bad data).
 */
export function createAlertProcessor(deps: AlertProcessorDeps): (job: Job) => Promise<string> {
  const handlers: Record<AlertJob, Handler> = {
    [AlertJob.Deliver]: (job) => deliver(deps, job),
  };
  for (const name of Object.values(AlertJob)) {
    if (typeof handlers[name] !== 'function') throw new Error(`alerts: no handler for job "${name}"`);
  }
  return (job) => {
    const handler = (handlers as Partial<Record<string, Handler>>)[job.name];
    if (!handler) return Promise.reject(new UnrecoverableError(`no handler for job "${job.name}"`));
    return handler(job);
  };
}

async function deliver(deps: AlertProcessorDeps, job: Job): Promise<string> {
  const data = job.data as DeliverJobData;
  if (typeof data?.dealerId !== 'string' || typeof data.deliveryId !== 'string') {
    throw new UnrecoverableError('invalid alert job: dealerId and deliveryId are required');
  }
  const { ds } = deps;
  const [row] = await ds.query<DispatchRow[]>(
    `SELECT d.status, d.source_kind, d.subscription_id, s.url, s.secret, s.active, o.payload
       FROM alert_dispatch d
       LEFT JOIN alert_subscriptions s ON s.dealer_id = d.dealer_id AND s.subscription_id = d.subscription_id
       LEFT JOIN outbox o ON o.dealer_id = d.dealer_id AND o.kind = d.source_kind AND o.dedup_key = d.decision_id
      WHERE d.dealer_id = $1 AND d.delivery_id = $2`,
    [data.dealerId, data.deliveryId],
  );
  if (!row) throw new UnrecoverableError(`alert dispatch ${data.deliveryId} not found`);
  if (row.status !== 'pending') return `skipped: ${row.status}`;
  if (!row.url || !row.secret || !row.active) {
    await finish(ds, data, 'cancelled', 'subscription removed or inactive');
    return 'skipped: subscription inactive';
  }
  const built = alertBody(row, data.deliveryId);
  if (!built.ok) {
    await finish(ds, data, 'failed', built.reason);
    throw new UnrecoverableError(built.reason);
  }

  const body = built.body;
  const attempt = job.attemptsMade + 1;
  const timestamp = String(Math.floor(deps.clock() / 1000));
  const result = await postWebhook(
    {
      url: row.url,
      body,
      timeoutMs: deps.timeoutMs,
      refusePrivateTargets: deps.allowPrivateTargets !== true,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'retention-pipeline-alerts',
        // Signs "<timestamp>.<body>": a replay under a fresh timestamp fails verification.
        'x-retention-signature': signBody(row.secret, timestamp, body),
        'x-retention-delivery': data.deliveryId,
        'x-retention-timestamp': timestamp,
      },
    },
    deps.clock,
  );
  await logAttempt(ds, data, attempt, result);

  const outcome = result.status === undefined ? 'retry' : classifyStatus(result.status);
  const detail = result.error ?? `HTTP ${result.status}`;
  switch (outcome) {
    case 'delivered':
      await finish(ds, data, 'delivered', null);
      return `delivered: ${detail}`;
    case 'rejected':
      await finish(ds, data, 'failed', `receiver refused: ${detail}`);
      throw new UnrecoverableError(`receiver refused: ${detail}`);
    case 'retry':
      // The last attempt records the failure here, so the dispatch row never stays pending forever.
      if (attempt >= (job.opts.attempts ?? 1)) await finish(ds, data, 'failed', detail);
      throw new Error(`delivery attempt ${attempt} failed: ${detail}`);
  }
}

/** The JSON body of a dispatch: a churn alert (decision) or a task.escalated alert (escalation). */
function alertBody(
  row: DispatchRow,
  deliveryId: string,
): { ok: true; body: string } | { ok: false; reason: string } {
  if (row.source_kind === 'escalation') {
    const e = parseAlertEscalation(row.payload);
    return e.ok
      ? {
          ok: true,
          body: JSON.stringify(escalationAlertPayload(e.escalation, deliveryId, row.subscription_id)),
        }
      : e;
  }
  const d = parseAlertDecision(row.payload);
  return d.ok
    ? { ok: true, body: JSON.stringify(alertPayload(d.decision, deliveryId, row.subscription_id)) }
    : d;
}

async function logAttempt(ds: DataSource, d: DeliverJobData, attempt: number, r: PostResult): Promise<void> {
  await ds.query(
    `INSERT INTO alert_deliveries (dealer_id, delivery_id, attempt, status_code, error, duration_ms)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      d.dealerId,
      d.deliveryId,
      attempt,
      r.status ?? null,
      r.error ?? null,
      Math.max(0, Math.round(r.durationMs)),
    ],
  );
}

async function finish(
  ds: DataSource,
  d: DeliverJobData,
  status: 'delivered' | 'failed' | 'cancelled',
  error: string | null,
): Promise<void> {
  await ds.query(
    `UPDATE alert_dispatch SET status = $3, finished_at = now(), last_error = $4
      WHERE dealer_id = $1 AND delivery_id = $2 AND status = 'pending'`,
    [d.dealerId, d.deliveryId, status, error],
  );
}
