import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import type { Consumer, KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { isolatedEnv, runCli, startApp, waitFor, type AppProcess } from '../../support';
import { collectTopic, configOf, launchChromium, managerToken, openDb, seedTasks } from './api-fixtures';

const SCREENSHOT = resolve(__dirname, '../../../reports/inbox.png');

describe('the web inbox in a real headless browser', () => {
  // The dealer reports value at risk in euros (DEALER_ECONOMICS): the inbox shows "€".
  const env = isolatedEnv({ ROLES: 'api', DEALER_ECONOMICS: '{"d1": {"currency": "EUR"}}' });
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
    // The top task is due in the future; the second is overdue (due 2026-04-01) and was escalated to the
    // branch lead: the inbox says so.
    await ds.query(
      `UPDATE tasks SET due_at = '2099-01-15T14:30:00Z' WHERE dealer_id = 'd1' AND task_id = 'top'`,
    );
    await ds.query(
      `UPDATE tasks SET escalated_at = '2026-04-02T08:00:00Z' WHERE dealer_id = 'd1' AND task_id = 'second'`,
    );
    // Who and which machine, from the master data (c-2 and WL50-0007 are unknown: the card falls back to ids).
    await ds.query(
      `INSERT INTO customers (dealer_id, customer_id, name, branch_id, updated_at, event_id)
       VALUES ('d1', 'c-top', 'Schulz Bau GmbH', 'A', now(), 'ev-c')`,
    );
    await ds.query(
      `INSERT INTO machines (dealer_id, serial_number, customer_id, branch_id, oem_name, model)
       VALUES ('d1', 'EX210-0042', 'c-top', 'A', 'Volvo', 'EC220E')`,
    );
    await ds.query(
      `INSERT INTO timeline (dealer_id, event_id, type, occurred_at, customer_id, serial_number, summary)
       VALUES ('d1', 'ev-wo', 'work-order.closed', '2025-06-01T00:00:00Z', 'c-top', 'EX210-0042',
               '{"workOrderId": "5512", "kind": "inspection", "laborAmount": 150, "partsAmount": 242, "currency": "EUR"}'),
              ('d1', 'ev-ps', 'parts.sold', '2025-07-01T12:00:00Z', 'c-top', NULL,
               '{"invoiceId": "i-1", "amount": 58.5, "currency": "EUR", "category": "filters"}')`,
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
    // An American manager in Chicago: instants in their zone, date-only facts on their UTC day.
    const context = await browser.newContext({
      viewport: { width: 1100, height: 800 },
      locale: 'en-US',
      timezoneId: 'America/Chicago',
    });
    const page = await context.newPage();
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
    await page.locator('#who', { hasText: 'Signed in' }).waitFor();
    expect(await page.locator('#who').textContent()).toBe('Signed in as alice · manager · branch A');
    const top = cards.first();
    // Chromium's ICU may put a narrow no-break space before AM/PM.
    const text = async (l: Locator) => (await l.textContent())?.replace(/\u202f/g, ' ');
    expect(await top.locator('h2').textContent()).toBe(
      'Schulz Bau GmbH (c-top) — Volvo EC220E, serial EX210-0042',
    );
    expect(await cards.nth(1).locator('h2').textContent()).toBe('Customer c-2 — machine WL50-0007');
    expect(await top.locator('ul.reasons li').first().textContent()).toBe(
      'No dealer service since the warranty of EX210-0042 ended 120 days ago (POST_WARRANTY_NO_SERVICE, as of Mar 1, 2026)',
    );
    expect(await top.locator('.value').textContent()).toBe('Value at risk €9,700');
    expect(await text(top.locator('.due'))).toBe('Due Jan 15, 2099, 8:30 AM');
    expect(await top.locator('.overdue').count()).toBe(0);
    expect(await text(cards.nth(1).locator('.due'))).toBe('Due Mar 31, 2026, 7:00 PM');
    expect(await text(cards.nth(1).locator('.overdue'))).toBe('Overdue, escalated Apr 2, 2026, 3:00 AM');

    await top.locator('[data-action=timeline]').click();
    await top.locator('.timeline li').first().waitFor();
    const lines = await top.locator('.timeline li').allTextContents();
    expect(lines.map((l) => l.replace(/\u202f/g, ' '))).toEqual([
      'Jul 1, 2025, 7:00 AM — Parts sold — filters, €58.50',
      'May 31, 2025, 7:00 PM — Work order closed — inspection, €392 (EX210-0042)',
    ]);

    await top.locator('[data-action=claim]').click();
    await page.locator('article[data-task-id=top] .status', { hasText: 'by alice' }).waitFor();
    await page.screenshot({ path: screenshotPath(), fullPage: true });

    // Complete starts disabled on an empty "Choose an outcome…"; it asks before recording the outcome.
    const claimed = page.locator('article[data-task-id=top]');
    const select = claimed.locator('[data-role=outcome]');
    const complete = claimed.locator('[data-action=complete]');
    expect(await select.inputValue()).toBe('');
    expect(await select.locator('option:checked').textContent()).toBe('Choose an outcome…');
    expect(await complete.isDisabled()).toBe(true);
    await select.selectOption('contract-sold');
    await claimed.locator('[data-role=note]').fill('3-year contract');
    expect(await complete.isDisabled()).toBe(false);
    const asked: string[] = [];
    page.once('dialog', (d) => {
      asked.push(d.message());
      void d.dismiss();
    });
    await complete.click();
    expect(asked).toEqual(['Record "contract sold" for Schulz Bau GmbH (c-top)? This closes the task.']);
    await new Promise((r) => setTimeout(r, 500));
    expect(await taskIds()).toEqual(['top', 'second']); // declined: nothing sent
    page.once('dialog', (d) => void d.accept());
    await complete.click();
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
    await context.close();
  });

  it('serves the page and its script with anti-framing and no-sniff headers', async () => {
    const pageRes = await fetch(`${app.baseUrl}/inbox`);
    expect(pageRes.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'none'; " +
        "frame-ancestors 'none'; base-uri 'none'",
    );
    const script = await fetch(`${app.baseUrl}/inbox/app.js`);
    for (const res of [pageRes, script]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });
});

function screenshotPath(): string {
  mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true });
  return SCREENSHOT;
}
