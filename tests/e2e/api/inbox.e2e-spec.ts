import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Consumer, KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { isolatedEnv, runCli, startApp, waitFor, type AppProcess } from '../../support';
import { collectTopic, configOf, launchChromium, managerToken, openDb, seedTasks } from './api-fixtures';

const SCREENSHOT = resolve(__dirname, '../../../reports/inbox.png');

describe('the web inbox in a real headless browser', () => {
  const env = isolatedEnv({ ROLES: 'api' });
  const config = configOf(env);
  let app: AppProcess;
  let ds: DataSource;
  let browser: Browser;
  let outcomes: { messages: KafkaMessage[]; consumer: Consumer };
  let token: string;

  beforeAll(async () => {
    expect((await runCli(['topics'], env)).code).toBe(0);
    app = await startApp(env);
    ds = await openDb(config);
    await seedTasks(ds, [
      { dealer: 'd1', id: 'top', branch: 'A', customer: 'c-top', serial: 'EX210-0042', priority: 97 },
      { dealer: 'd1', id: 'second', branch: 'A', customer: 'c-2', serial: 'WL50-0007', priority: 40 },
      { dealer: 'd1', id: 'other-branch', branch: 'B', customer: 'c-b', serial: 'B-1', priority: 99 },
    ]);
    // The second task is overdue and was escalated to the branch lead: the inbox says so.
    await ds.query(
      `UPDATE tasks SET escalated_at = '2026-04-02T08:00:00Z' WHERE dealer_id = 'd1' AND task_id = 'second'`,
    );
    await ds.query(
      `INSERT INTO timeline (dealer_id, event_id, type, occurred_at, customer_id, serial_number, summary)
       VALUES ('d1', 'ev-wo', 'work-order.closed', '2025-06-01T00:00:00Z', 'c-top', 'EX210-0042', '{}')`,
    );
    token = await managerToken(env, 'd1', 'A', 'alice');
    outcomes = await collectTopic(config, env.TOPIC_OUTCOMES);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await outcomes?.consumer.disconnect();
    await ds?.destroy();
    if (app) expect(await app.stop()).toBe(0);
  });

  it('signs in, shows the top task, claims it, completes it, and the outcome reaches followup.outcomes', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(app.baseUrl)) external.push(r.url());
    });
    await page.goto(`${app.baseUrl}/inbox`);
    await page.fill('#token', token);
    await page.click('#signin button[type=submit]');

    const cards = page.locator('article.task');
    const taskIds = async () => Promise.all((await cards.all()).map((c) => c.getAttribute('data-task-id')));
    await cards.first().waitFor();
    expect(await taskIds()).toEqual(['top', 'second']);
    const top = cards.first();
    expect(await top.locator('h2').textContent()).toBe('Customer c-top — machine EX210-0042');
    expect(await top.locator('ul.reasons li').first().textContent()).toContain(
      'No dealer service since the warranty of EX210-0042 ended 120 days ago',
    );
    expect(await top.locator('.value').textContent()).toMatch(/^Value at risk 9[,.\s]?700$/);
    expect(await top.locator('.meta').textContent()).toContain('Due ');
    expect(await top.locator('.escalated').count()).toBe(0);
    expect(await cards.nth(1).locator('.escalated').textContent()).toBe('Overdue: escalated Apr 2, 2026');

    await top.locator('[data-action=timeline]').click();
    await top.locator('.timeline li').first().waitFor();
    expect(await top.locator('.timeline li').first().textContent()).toContain('work-order.closed');

    await top.locator('[data-action=claim]').click();
    await page.locator('article[data-task-id=top] .status', { hasText: 'by alice' }).waitFor();
    await page.screenshot({ path: screenshotPath(), fullPage: true });

    const claimed = page.locator('article[data-task-id=top]');
    await claimed.locator('[data-role=outcome]').selectOption('contract-sold');
    await claimed.locator('[data-role=note]').fill('3-year contract');
    await claimed.locator('[data-action=complete]').click();
    await page.locator('article[data-task-id=top]').waitFor({ state: 'detached' });
    expect(await page.locator('#error').textContent()).toBe('');
    expect(await taskIds()).toEqual(['second']);

    await waitFor('the outcome on Kafka', () => outcomes.messages.length > 0, 30_000);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(outcomes.messages).toHaveLength(1);
    expect(JSON.parse(outcomes.messages[0].value!.toString())).toMatchObject({
      taskId: 'top',
      customerId: 'c-top',
      outcome: 'contract-sold',
      note: '3-year contract',
      completedBy: 'alice',
    });
    expect(external).toEqual([]);
    expect(await page.evaluate<string | null>("sessionStorage.getItem('rp.inbox.token')")).toBe(token);
  });
});

function screenshotPath(): string {
  mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
  return SCREENSHOT;
}
