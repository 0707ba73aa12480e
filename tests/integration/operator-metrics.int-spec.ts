import { Queue } from 'bullmq';
import { Client } from 'pg';
import type { Redis } from 'ioredis';
import { inputTopics } from '@rp/config';
import { createDataSource } from '@rp/database';
import { Metrics } from '@rp/observability';
import { createRedis, QueueName } from '@rp/queue';
import { registerOperatorMetrics } from '../../apps/retention/src/http/operator-metrics';
import { testConfig, useMigratedSchema } from '../support';

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
const S = 1000;

describe('operator metrics (/metrics gauges read at scrape time)', () => {
  const config = testConfig({ RISK_ENABLED: 'true' });
  const ds = createDataSource(config.database);
  useMigratedSchema(ds, config.database.schema);
  let redis: Redis;
  const queues = new Map<string, Queue>();
  const queue = (name: string) => {
    if (!queues.has(name))
      queues.set(name, new Queue(name, { connection: redis, prefix: config.redis.queuePrefix }));
    return queues.get(name)!;
  };
  const lateness = config.risk.allowedLatenessMs;
  const streamAt = NOW - 90 * S;

  const scrape = (roles: typeof config.roles, timeoutMs = 2000) => {
    const metrics = new Metrics(false);
    registerOperatorMetrics({
      config: { ...config, roles },
      ds,
      metrics,
      queues: { names: [QueueName.Followups, QueueName.Alerts], counts: (n) => queue(n).getJobCounts() },
      timeoutMs,
      now: () => NOW,
    });
    return metrics.registry.metrics();
  };
  const at = (ms: number) => new Date(ms).toISOString();

  beforeAll(async () => {
    redis = createRedis(config.redis.url);
    const ins = `INSERT INTO outbox (dealer_id, kind, dedup_key, payload, created_at, published_at, dispatched_at, alerts_scanned_at)
                 VALUES ($1, $2, $3, '{}', $4, $5, $6, $7)`;
    // In outbox (id) order, as written: one decision every consumer has handled, one only the alert fan-out
    // and the publisher have, two no consumer has; an outcome, a suppression and an escalation.
    await ds.query(ins, ['d1', 'decision', 'd', at(NOW - 900 * S), at(NOW), at(NOW), at(NOW)]);
    await ds.query(ins, ['d1', 'decision', 'c', at(NOW - 300 * S), at(NOW), null, at(NOW)]);
    await ds.query(ins, ['d1', 'decision', 'a', at(NOW - 120 * S), null, null, null]);
    await ds.query(ins, ['d2', 'decision', 'b', at(NOW - 60 * S), null, null, null]);
    await ds.query(ins, ['d2', 'outcome', 'f', at(NOW - 45 * S), null, at(NOW), null]);
    await ds.query(ins, ['d1', 'suppression', 'e', at(NOW - 30 * S), at(NOW), null, null]);
    await ds.query(ins, ['d2', 'escalation', 'g', at(NOW - 15 * S), at(NOW), at(NOW), null]);
    // Every input partition read up to streamAt and caught up, last batch "now" (not quiet yet).
    for (const topic of inputTopics(config.topics)) {
      await ds.query(
        `INSERT INTO stream_watermarks (topic, kafka_partition, max_event_at, caught_up, updated_at) VALUES ($1, 0, $2, true, $3)`,
        [topic, at(streamAt), at(NOW)],
      );
    }
    const watermark = streamAt - lateness;
    for (const [customer, due] of [
      ['c1', watermark - 3600 * S],
      ['c2', watermark - 60 * S],
      ['c3', watermark],
      ['c4', watermark + S],
    ] as const) {
      await ds.query(`INSERT INTO risk_timers (dealer_id, customer_id, due_at) VALUES ('d1', $1, $2)`, [
        customer,
        at(due),
      ]);
    }
    const task = `INSERT INTO tasks (dealer_id, task_id, customer_id, branch_id, family, status, reasons, priority, value_at_risk, due_at)
                  VALUES ($1, $2, $3, 'b1', 'f', $4, '[]', 1, 1, $5)`;
    const tasks: [string, string][] = [
      ['d1', 'open'],
      ['d2', 'open'],
      ['d1', 'claimed'],
      ['d2', 'holdout'],
      ['d1', 'done'],
      ['d2', 'done'],
    ];
    for (const [i, [dealer, status]] of tasks.entries())
      await ds.query(task, [dealer, `t${i}`, `c${i}`, status, at(NOW)]);
    const attempt = `INSERT INTO alert_deliveries (dealer_id, delivery_id, attempt, status_code, duration_ms, at) VALUES ('d1', $1, 1, $2, 5, $3)`;
    await ds.query(attempt, ['x1', 204, at(NOW - 10 * 60 * S)]);
    await ds.query(attempt, ['x2', 204, at(NOW - 60 * S)]);
    await ds.query(attempt, ['x3', 200, at(NOW - 30 * S)]);
    await ds.query(attempt, ['x4', 503, at(NOW - 120 * S)]);
    await ds.query(attempt, ['x5', null, at(NOW - 10 * S)]);
    await queue(QueueName.Followups).add('j', {}, { jobId: 'w1' });
    await queue(QueueName.Followups).add('j', {}, { jobId: 'w2' });
    await queue(QueueName.Alerts).add('j', {}, { jobId: 'd1', delay: 3_600_000 });
  });

  afterAll(async () => {
    for (const q of queues.values()) {
      await q.obliterate({ force: true });
      await q.close();
    }
    await redis.quit();
  });

  it('all roles: exact backlog, timers, watermark lag, tasks, webhook attempts and queue depth', async () => {
    const text = await scrape(['ingest', 'followups', 'api']);
    const lines = text.split('\n').filter((l) => l.startsWith('rp_'));
    expect(lines.sort()).toEqual(
      [
        'rp_metrics_scrape_errors_total{source="outbox"} 0',
        'rp_metrics_scrape_errors_total{source="risk"} 0',
        'rp_metrics_scrape_errors_total{source="followups"} 0',
        'rp_metrics_scrape_errors_total{source="queues"} 0',
        'rp_outbox_pending{consumer="publisher",kind="decision"} 2',
        'rp_outbox_pending{consumer="relay",kind="decision"} 3',
        'rp_outbox_pending{consumer="relay",kind="suppression"} 1',
        'rp_outbox_pending{consumer="alerts",kind="decision"} 2',
        'rp_outbox_pending{consumer="alerts",kind="escalation"} 1',
        'rp_outbox_pending{consumer="outcomes",kind="outcome"} 1',
        'rp_outbox_oldest_pending_seconds{consumer="publisher",kind="decision"} 120',
        'rp_outbox_oldest_pending_seconds{consumer="relay",kind="decision"} 300',
        'rp_outbox_oldest_pending_seconds{consumer="relay",kind="suppression"} 30',
        'rp_outbox_oldest_pending_seconds{consumer="alerts",kind="decision"} 120',
        'rp_outbox_oldest_pending_seconds{consumer="alerts",kind="escalation"} 15',
        'rp_outbox_oldest_pending_seconds{consumer="outcomes",kind="outcome"} 45',
        'rp_risk_watermark_lag_seconds 90',
        'rp_risk_timers_due 3',
        'rp_risk_oldest_due_timer_seconds 3600',
        'rp_tasks_active{status="open"} 2',
        'rp_tasks_active{status="claimed"} 1',
        'rp_tasks_active{status="holdout"} 1',
        'rp_webhook_attempts_recent{outcome="delivered"} 2',
        'rp_webhook_attempts_recent{outcome="http_error"} 1',
        'rp_webhook_attempts_recent{outcome="no_response"} 1',
        'rp_queue_jobs{queue="followups",state="waiting"} 2',
        'rp_queue_jobs{queue="followups",state="active"} 0',
        'rp_queue_jobs{queue="followups",state="delayed"} 0',
        'rp_queue_jobs{queue="followups",state="failed"} 0',
        'rp_queue_jobs{queue="alerts",state="waiting"} 0',
        'rp_queue_jobs{queue="alerts",state="active"} 0',
        'rp_queue_jobs{queue="alerts",state="delayed"} 1',
        'rp_queue_jobs{queue="alerts",state="failed"} 0',
      ].sort(),
    );
  });

  it('only the gauges of the roles the process runs', async () => {
    const api = (await scrape(['api'])).split('\n').filter((l) => l.startsWith('rp_'));
    expect(api.sort()).toEqual([
      'rp_metrics_scrape_errors_total{source="outbox"} 0',
      'rp_outbox_oldest_pending_seconds{consumer="outcomes",kind="outcome"} 45',
      'rp_outbox_pending{consumer="outcomes",kind="outcome"} 1',
    ]);
    const ingestNoRisk = new Metrics(false);
    registerOperatorMetrics({
      config: { ...config, roles: ['ingest'], risk: { ...config.risk, enabled: false } },
      ds,
      metrics: ingestNoRisk,
    });
    expect(ingestNoRisk.registry.getMetricsAsArray()).toEqual([]);
  });

  it('a locked outbox (a hung query): the scrape still answers within the timeout, without the outbox values', async () => {
    const locker = new Client({ connectionString: config.database.url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${config.database.schema}.outbox IN ACCESS EXCLUSIVE MODE`);
      const started = Date.now();
      const text = await scrape(['followups'], 500);
      expect(Date.now() - started).toBeLessThan(1500);
      expect(text).not.toMatch(/^rp_outbox_pending/m);
      expect(text).toContain('rp_metrics_scrape_errors_total{source="outbox"} 1');
      expect(text).toContain('rp_tasks_active{status="open"} 2');
      expect(text).toContain('rp_queue_jobs{queue="followups",state="waiting"} 2');
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    // Postgres cancelled the blocked read (statement_timeout): no pooled connection is left waiting on it.
    const waiting = await ds.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%FROM outbox%'`,
    );
    expect(waiting[0].n).toBe(0);
  });
});
