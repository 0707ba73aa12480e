import type { DataSource } from 'typeorm';
import type { AppConfig } from '@rp/config';
import { inputTopics } from '@rp/config';
import type { Metrics } from '@rp/observability';
import {
  activeTasks,
  boundedRead,
  OUTBOX_CONSUMERS,
  outboxBacklog,
  RECENT_WINDOW_MS,
  recentWebhookAttempts,
  riskBacklog,
  type OutboxConsumer,
} from './operator-metrics-sql';

/** Default time a scrape waits for one source before it drops that source's values. */
export const METRICS_SOURCE_TIMEOUT_MS = 2_000;

/** BullMQ job counts of one queue (Queue.getJobCounts). */
export type JobCounts = (queue: string) => Promise<Record<string, number>>;
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

export interface OperatorMetricsDeps {
  config: Pick<AppConfig, 'roles' | 'risk' | 'topics'>;
  ds: DataSource;
  metrics: Metrics;
  /** The queues the followups role works (names from @rp/queue) and how to count their jobs. */
  queues?: { names: string[]; counts: JobCounts };
  timeoutMs?: number;
  now?: () => number;
  onError?: (source: string, err: Error) => void;
}

const seconds = (ms: number) => Math.max(0, ms) / 1000;

/**
 * Scrape-time gauges for operators, registered for the roles that run the loops they watch: the
 * decisions publisher and the risk engine (ingest with detection on), the followups relay, alert fan-out,
 * tasks, webhooks and queues (followups), the outcomes publisher (api). Labels are from fixed sets only.
 */
export function registerOperatorMetrics(d: OperatorMetricsDeps): void {
  const roles = new Set(d.config.roles);
  const timeoutMs = d.timeoutMs ?? METRICS_SOURCE_TIMEOUT_MS;
  const now = d.now ?? Date.now;
  const common = { timeoutMs, ...(d.onError ? { onError: d.onError } : {}) };
  const risk = roles.has('ingest') && d.config.risk.enabled;

  const consumers: OutboxConsumer[] = [
    ...(risk ? [OUTBOX_CONSUMERS.publisher] : []),
    ...(roles.has('followups') ? [OUTBOX_CONSUMERS.relay, OUTBOX_CONSUMERS.alerts] : []),
    ...(roles.has('api') ? [OUTBOX_CONSUMERS.outcomes] : []),
  ];
  if (consumers.length) registerOutbox(d, consumers, common, now);
  if (risk) registerRisk(d, common, now);
  if (roles.has('followups')) {
    registerFollowups(d, common, now);
    if (d.queues) registerQueues(d.metrics, d.queues, common);
  }
}

type Common = { timeoutMs: number; onError?: (source: string, err: Error) => void };

function registerOutbox(
  d: OperatorMetricsDeps,
  consumers: OutboxConsumer[],
  common: Common,
  now: () => number,
) {
  d.metrics.scrapeSource({
    ...common,
    source: 'outbox',
    gauges: {
      rp_outbox_pending: {
        help: `Outbox rows not yet handled by each consumer (counted up to 100000)`,
        labelNames: ['consumer', 'kind'],
      },
      rp_outbox_oldest_pending_seconds: {
        help: 'Age of the oldest outbox row each consumer has not handled yet (0 when none)',
        labelNames: ['consumer', 'kind'],
      },
    },
    read: async () => {
      const rows = await boundedRead(d.ds, common.timeoutMs, (em) => outboxBacklog(em, consumers));
      const at = now();
      return {
        rp_outbox_pending: rows.map((r) => ({
          labels: { consumer: r.consumer, kind: r.kind },
          value: r.pending,
        })),
        rp_outbox_oldest_pending_seconds: rows.map((r) => ({
          labels: { consumer: r.consumer, kind: r.kind },
          value: r.oldestMs === null ? 0 : seconds(at - r.oldestMs),
        })),
      };
    },
  });
}

function registerRisk(d: OperatorMetricsDeps, common: Common, now: () => number) {
  const { risk, topics } = d.config;
  const clock = {
    topics: inputTopics(topics),
    allowedLatenessMs: risk.allowedLatenessMs,
    quietMs: risk.quietMs,
    maxQuietAdvanceMs: risk.maxQuietAdvanceMs,
  };
  d.metrics.scrapeSource({
    ...common,
    source: 'risk',
    gauges: {
      rp_risk_watermark_lag_seconds: {
        help: 'Wall clock minus the event time of the input streams (no value before any event is read)',
      },
      rp_risk_timers_due: {
        help: 'Risk timers the detection watermark has passed, not yet fired (up to 100000)',
      },
      rp_risk_oldest_due_timer_seconds: {
        help: 'Event time by which the detection watermark has passed the oldest timer not yet fired (0 when none)',
      },
    },
    read: async () => {
      const at = now();
      const b = await boundedRead(d.ds, common.timeoutMs, (em) => riskBacklog(em, clock, at));
      return {
        rp_risk_watermark_lag_seconds: b.streamMs === null ? [] : [{ value: seconds(at - b.streamMs) }],
        rp_risk_timers_due: [{ value: b.due }],
        rp_risk_oldest_due_timer_seconds: [
          {
            value:
              b.oldestDueMs === null || b.watermarkMs === null ? 0 : seconds(b.watermarkMs - b.oldestDueMs),
          },
        ],
      };
    },
  });
}

function registerFollowups(d: OperatorMetricsDeps, common: Common, now: () => number) {
  d.metrics.scrapeSource({
    ...common,
    source: 'followups',
    gauges: {
      rp_tasks_active: {
        help: 'Active tasks of every dealer by status (open, claimed, holdout)',
        labelNames: ['status'],
      },
      rp_webhook_attempts_recent: {
        help: 'Webhook delivery attempts in the last 5 minutes by outcome (delivered, http_error, no_response)',
        labelNames: ['outcome'],
      },
    },
    read: async () => {
      const since = now() - RECENT_WINDOW_MS;
      const { tasks, attempts } = await boundedRead(d.ds, common.timeoutMs, async (em) => ({
        tasks: await activeTasks(em),
        attempts: await recentWebhookAttempts(em, since),
      }));
      return {
        rp_tasks_active: Object.entries(tasks).map(([status, value]) => ({ labels: { status }, value })),
        rp_webhook_attempts_recent: Object.entries(attempts).map(([outcome, value]) => ({
          labels: { outcome },
          value,
        })),
      };
    },
  });
}

function registerQueues(metrics: Metrics, q: NonNullable<OperatorMetricsDeps['queues']>, common: Common) {
  metrics.scrapeSource({
    ...common,
    source: 'queues',
    gauges: {
      rp_queue_jobs: {
        help: 'BullMQ jobs per queue and state (waiting, active, delayed, failed)',
        labelNames: ['queue', 'state'],
      },
    },
    read: async () => {
      const counts = await Promise.all(q.names.map(async (queue) => ({ queue, c: await q.counts(queue) })));
      return {
        rp_queue_jobs: counts.flatMap(({ queue, c }) =>
          QUEUE_STATES.map((state) => ({ labels: { queue, state }, value: c[state] ?? 0 })),
        ),
      };
    },
  });
}
