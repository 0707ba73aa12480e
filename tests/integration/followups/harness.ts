import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '@rp/config';
import { createDataSource, runMigrations } from '@rp/database';
import { DEFAULT_FOLLOWUP_SETTINGS, FollowupsRuntime, type FollowupSettings } from '@rp/followups';
import { createLogger } from '@rp/observability';
import { REASON_FAMILY, type ReasonCode } from '@rp/risk';
import { testConfig, waitFor } from '../../support';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 2, 1);
export const DEALER = 'dealer-f';

export interface DecisionSpec {
  customerId: string;
  serialNumber?: string | null;
  reasonCode?: ReasonCode;
  detectedAtMs?: number;
  priority?: number;
  valueAtRisk?: number;
  branchId?: string;
  urgency?: Record<string, number>;
  episode?: string;
}

/** A decision as the ingest role writes it into the outbox (the ValuedDecision JSON). */
export function valuedDecision(s: DecisionSpec): Record<string, unknown> & { id: string } {
  const reasonCode = s.reasonCode ?? 'POST_WARRANTY_NO_SERVICE';
  const serial = s.serialNumber === undefined ? 'SN-1' : s.serialNumber;
  const episode = s.episode ?? 'e1';
  const id = createHash('sha256')
    .update([DEALER, s.customerId, serial ?? '', reasonCode, '1', episode].join('|'))
    .digest('hex');
  return {
    id,
    dealerId: DEALER,
    customerId: s.customerId,
    serialNumber: serial,
    reasonCode,
    family: REASON_FAMILY[reasonCode],
    message: `${reasonCode} for ${s.customerId}`,
    evidenceEventIds: [`ev-${id.slice(0, 8)}`],
    ruleId: `default:${reasonCode}`,
    ruleVersion: '1',
    detectedAtMs: s.detectedAtMs ?? T0,
    episode,
    urgency: s.urgency ?? {},
    clv: 5000,
    pLapse: 0.3,
    valueAtRisk: s.valueAtRisk ?? 1500,
    priority: s.priority ?? 10,
    branchId: s.branchId ?? 'branch-1',
  };
}

export interface TaskRow {
  task_id: string;
  customer_id: string;
  serial_number: string | null;
  branch_id: string;
  family: string;
  status: string;
  reasons: { code: string; decisionId: string; detectedAt: string }[];
  priority: string;
  value_at_risk: string;
  due_at: Date;
  escalated_at: Date | null;
}

export interface FollowupsHarness {
  config: AppConfig;
  ds: DataSource;
  runtime: FollowupsRuntime;
  /** Inserts decisions into the outbox exactly like the ingest role (duplicates ignored). */
  publish: (payloads: Record<string, unknown>[]) => Promise<void>;
  tasks: () => Promise<TaskRow[]>;
  applied: () => Promise<number>;
  waitApplied: (n: number, timeoutMs?: number) => Promise<void>;
  close: () => Promise<void>;
}

/** A migrated schema of its own, a queue prefix of its own and the real runtime on the stack Redis. */
export async function followupsHarness(
  over: Partial<Omit<FollowupSettings, 'rules'>> & { rules?: Partial<FollowupSettings['rules']> } = {},
  clock?: () => number,
): Promise<FollowupsHarness> {
  const config = testConfig();
  const ds = createDataSource(config.database);
  await ds.initialize();
  await runMigrations(ds);
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', {}, process.env.TEST_LOG_FILE);
  const settings: FollowupSettings = {
    ...DEFAULT_FOLLOWUP_SETTINGS,
    relayIdleMs: 50,
    backoffMs: 200,
    ...over,
    rules: { ...DEFAULT_FOLLOWUP_SETTINGS.rules, ...over.rules },
  };
  const runtime = new FollowupsRuntime({
    ds,
    redisUrl: config.redis.url,
    queuePrefix: config.redis.queuePrefix,
    settings,
    logger,
    clock,
  });
  await runtime.start();
  const applied = async () =>
    Number((await ds.query<{ n: string }[]>('SELECT count(*) AS n FROM task_decisions'))[0].n);
  return {
    config,
    ds,
    runtime,
    publish: async (payloads) => {
      await ds.query(
        `INSERT INTO outbox (dealer_id, kind, dedup_key, payload)
         SELECT d, 'decision', k, p FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS x(d, k, p)
         ON CONFLICT DO NOTHING`,
        [payloads.map((p) => p.dealerId), payloads.map((p) => p.id), payloads.map((p) => JSON.stringify(p))],
      );
    },
    tasks: () => ds.query<TaskRow[]>('SELECT * FROM tasks ORDER BY customer_id, family, created_at'),
    applied,
    waitApplied: async (n, timeoutMs = 60_000) => {
      await waitFor(`${n} decisions applied`, async () => (await applied()) >= n, timeoutMs, 50);
    },
    close: async () => {
      await runtime.queue.obliterate({ force: true }).catch(() => undefined);
      await runtime.stop();
      await ds.query(`DROP SCHEMA IF EXISTS ${config.database.schema} CASCADE`);
      await ds.destroy();
    },
  };
}
