import type { Browser } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { isolatedEnv, startApp, type AppProcess } from '../../support';
import { configOf, launchChromium, managerToken, openDb, seedTasks, type SeedTask } from './api-fixtures';

describe('the web inbox with more tasks than one page', () => {
  const env = isolatedEnv({ ROLES: 'api' });
  const config = configOf(env);
  let app: AppProcess;
  let ds: DataSource;
  let browser: Browser;
  let token: string;
  // 105 tasks, priorities 205 down to 101: task-001 first, task-105 last.
  const ids = Array.from({ length: 105 }, (_, i) => `task-${String(i + 1).padStart(3, '0')}`);

  beforeAll(async () => {
    app = await startApp(env);
    ds = await openDb(config);
    const tasks: SeedTask[] = ids.map((id, i) => ({
      dealer: 'd1',
      id,
      branch: 'A',
      customer: `c-${id}`,
      priority: 205 - i,
    }));
    await seedTasks(ds, tasks);
    token = await managerToken(env, 'd1', 'A', 'alice');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await ds?.destroy();
    if (app) expect(await app.stop()).toBe(0);
  });

  it('shows the first 100, then the 101st to 105th after "Load more", and keeps them after an action', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.baseUrl}/inbox`);
    await page.fill('#token', token);
    await page.click('#signin button[type=submit]');

    const cards = page.locator('article.task');
    const shown = async () => Promise.all((await cards.all()).map((c) => c.getAttribute('data-task-id')));
    await cards.first().waitFor();
    expect(await shown()).toEqual(ids.slice(0, 100));
    const more = page.locator('#more');
    expect(await more.isVisible()).toBe(true);

    await more.click();
    await page.locator('article[data-task-id=task-101]').waitFor();
    expect(await shown()).toEqual(ids);
    expect(await more.isVisible()).toBe(false);
    expect(await page.locator('#error').textContent()).toBe('');

    // Claiming a task of the second page reloads the queue with both pages: it stays in view.
    await page.locator('article[data-task-id=task-103] [data-action=claim]').click();
    await page.locator('article[data-task-id=task-103] .status', { hasText: 'by alice' }).waitFor();
    expect(await shown()).toEqual(ids);
    expect(await more.isVisible()).toBe(false);
  });
});
