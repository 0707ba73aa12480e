import type { Consumer, KafkaMessage } from 'kafkajs';
import { chromium, type Browser } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { loadConfig, type AppConfig } from '@rp/config';
import { createDataSource } from '@rp/database';
import { createKafka } from '@rp/kafka';
import { runCli } from '../../support';

/** The config the app under test sees (stack connection overrides + its isolated env). */
export function configOf(env: Record<string, string>): AppConfig {
  const stack = Object.fromEntries(
    ['KAFKA_BROKERS', 'DATABASE_URL', 'REDIS_URL'].map((k) => [k, process.env[k]]),
  );
  return loadConfig({ ...stack, ...env });
}

export async function openDb(config: AppConfig): Promise<DataSource> {
  const ds = createDataSource({ ...config.database, poolSize: 2, applicationName: 'rp-api-test' });
  await ds.initialize();
  return ds;
}

export interface SeedTask {
  dealer: string;
  id: string;
  branch: string;
  customer: string;
  serial?: string | null;
  priority: number;
  status?: 'open' | 'claimed' | 'done' | 'holdout';
  assignee?: string;
  family?: string;
}

/** Inserts tasks straight into the isolated schema (the app migrated it). */
export async function seedTasks(ds: DataSource, tasks: SeedTask[]): Promise<void> {
  for (const t of tasks) {
    const reasons = [
      {
        code: 'POST_WARRANTY_NO_SERVICE',
        message: `No dealer service since the warranty of ${t.serial ?? 'the fleet'} ended 120 days ago`,
        evidenceEventIds: [`ev-${t.id}-1`, `ev-${t.id}-2`],
        ruleVersion: '1.0.0',
        detectedAt: '2026-03-01T00:00:00.000Z',
        decisionId: `dec-${t.id}`,
      },
    ];
    await ds.query(
      `INSERT INTO tasks (dealer_id, task_id, customer_id, serial_number, branch_id, family, status, reasons,
                          priority, value_at_risk, due_at, assignee)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12)`,
      [
        t.dealer,
        t.id,
        t.customer,
        t.serial ?? null,
        t.branch,
        t.family ?? `lapse-${t.id}`,
        t.status ?? 'open',
        JSON.stringify(reasons),
        t.priority,
        t.priority * 100,
        '2026-04-01T00:00:00Z',
        t.assignee ?? null,
      ],
    );
  }
}

export async function createToken(env: Record<string, string>, args: string[]): Promise<string> {
  const res = await runCli(['tokens', 'create', ...args], env);
  const m = /rpt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/.exec(res.output);
  if (res.code !== 0 || !m) throw new Error(`tokens create failed (${res.code}): ${res.output}`);
  return m[0];
}

/** A manager token of `branch` (named, so the API shows who claimed what). */
export const managerToken = (env: Record<string, string>, dealer: string, branch: string, name: string) =>
  createToken(env, ['--dealer', dealer, '--role', 'manager', '--branch', branch, '--name', name]);

/** Debian's Chromium, headless and offline (browsers cannot be downloaded here). */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });

/** Collects every message of a topic from the beginning, in a throw-away consumer group. */
export async function collectTopic(
  config: AppConfig,
  topic: string,
): Promise<{ messages: KafkaMessage[]; consumer: Consumer }> {
  const kafka = createKafka(config.kafka, undefined, '-api-test');
  const consumer = kafka.consumer({ groupId: `${config.kafka.groupId}-reader-${Date.now()}` });
  const messages: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      messages.push(message);
      return Promise.resolve();
    },
  });
  return { messages, consumer };
}
