import type { Browser, Locator, Page } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { isolatedEnv, startApp, type AppProcess } from '../../support';
import { configOf, createToken, launchChromium, managerToken, openDb, seedTasks } from './api-fixtures';

/** Who may do what on a card, errors next to the button, and what happens when the token stops working. */
describe('the web inbox: actions per card and the session', () => {
  const env = isolatedEnv({ ROLES: 'api' });
  const config = configOf(env);
  let app: AppProcess;
  let ds: DataSource;
  let browser: Browser;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    app = await startApp(env);
    ds = await openDb(config);
    // Every task is due 2026-04-01 (past) and none was escalated.
    await seedTasks(ds, [
      {
        dealer: 'd1',
        id: 'mine',
        branch: 'A',
        customer: 'c-1',
        serial: 'S-1',
        priority: 90,
        status: 'claimed',
        assignee: 'alice',
      },
      {
        dealer: 'd1',
        id: 'theirs',
        branch: 'A',
        customer: 'c-2',
        serial: 'S-2',
        priority: 80,
        status: 'claimed',
        assignee: 'bob',
      },
      { dealer: 'd1', id: 'free', branch: 'A', customer: 'c-3', serial: 'S-3', priority: 70 },
      { dealer: 'd1', id: 'spare', branch: 'A', customer: 'c-4', serial: 'S-4', priority: 60 },
    ]);
    tokens.alice = await managerToken(env, 'd1', 'A', 'alice');
    tokens.bob = await managerToken(env, 'd1', 'A', 'bob');
    tokens.dora = await managerToken(env, 'd1', 'A', 'dora');
    tokens.dora2 = await managerToken(env, 'd1', 'A', 'dora');
    tokens.admin = await createToken(env, ['--dealer', 'd1', '--role', 'admin', '--name', 'erin']);
    tokens.operator = await createToken(env, ['--role', 'operator', '--name', 'ops']);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await ds?.destroy();
    if (app) expect(await app.stop()).toBe(0);
  });

  async function signIn(page: Page, token: string): Promise<void> {
    await page.fill('#token', token);
    await page.click('#signin button[type=submit]');
  }
  async function openInbox(token: string, viewport = { width: 1100, height: 800 }): Promise<Page> {
    const page = await browser.newPage({ viewport, locale: 'en-US' });
    await page.goto(`${app.baseUrl}/inbox`);
    await signIn(page, token);
    await page.locator('#who', { hasText: 'Signed in' }).waitFor();
    await page.locator('article.task').first().waitFor();
    return page;
  }
  const card = (page: Page, id: string) => page.locator(`article[data-task-id=${id}]`);
  const status = (page: Page, id: string) => card(page, id).locator('.status').first().textContent();
  const actions = async (l: Locator) =>
    Promise.all((await l.locator('[data-action]').all()).map((b) => b.getAttribute('data-action')));
  const apiPost = (token: string, path: string) =>
    fetch(`${app.baseUrl}${path}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });

  it('offers no Complete on a card someone else holds, Unclaim on mine, and releases it', async () => {
    const page = await openInbox(tokens.alice);
    expect(await page.locator('#who').textContent()).toBe('Signed in as alice · manager · branch A');
    const theirs = card(page, 'theirs');
    expect(await theirs.locator('[data-role=held]').textContent()).toBe(
      'Claimed by bob; only they can work it',
    );
    expect(await actions(theirs)).toEqual(['timeline']);
    expect(await theirs.locator('[data-role=outcome]').count()).toBe(0);
    // Overdue (due 2026-04-01) although never escalated.
    expect(await theirs.locator('.overdue').textContent()).toBe('Overdue');

    const mine = card(page, 'mine');
    expect(await actions(mine)).toEqual(['unclaim', 'complete', 'timeline']);
    await mine.locator('[data-action=unclaim]').click();
    await mine.locator('[data-action=claim]').waitFor();
    expect(await status(page, 'mine')).toBe('open');
    expect(await mine.locator('[data-action=unclaim]').count()).toBe(0);
    const row = await ds.query<{ status: string; assignee: string | null }[]>(
      `SELECT status, assignee FROM tasks WHERE dealer_id = 'd1' AND task_id = 'mine'`,
    );
    expect(row).toEqual([{ status: 'open', assignee: null }]);
    await page.close();
  });

  it('shows an action error inside the card it belongs to, not only at the top', async () => {
    const page = await openInbox(tokens.alice);
    // Bob claims "free" after alice's page loaded it.
    expect((await apiPost(tokens.bob, '/api/v1/tasks/free/claim')).status).toBe(200);
    const free = card(page, 'free');
    await free.locator('[data-action=claim]').click();
    const error = free.locator('[data-role=error]');
    await error.filter({ hasText: 'TASK_CLAIMED_BY_OTHER' }).waitFor();
    expect(await error.textContent()).toBe(
      'task free is already claimed by bob; only they can work it (TASK_CLAIMED_BY_OTHER)',
    );
    expect(await error.getAttribute('aria-live')).toBe('assertive');
    expect(await page.locator('#error').textContent()).toBe('');
    expect(await card(page, 'spare').locator('[data-role=error]').textContent()).toBe('');
    await page.close();
  });

  it("lets an admin release anyone's claim, without offering to complete it", async () => {
    const page = await openInbox(tokens.admin);
    expect(await page.locator('#who').textContent()).toBe('Signed in as erin · admin · all branches');
    const theirs = card(page, 'theirs');
    expect(await theirs.locator('[data-role=held]').textContent()).toBe('Claimed by bob');
    expect(await theirs.locator('[data-action=complete]').count()).toBe(0);
    await theirs.locator('[data-action=unclaim]').click();
    await theirs.locator('[data-action=claim]').waitFor();
    expect(await status(page, 'theirs')).toBe('open');
    await page.close();
  });

  it('sends an operator token back to sign-in, saying why', async () => {
    const page = await browser.newPage();
    await page.goto(`${app.baseUrl}/inbox`);
    await signIn(page, tokens.operator);
    await page.locator('#error', { hasText: 'operator' }).waitFor();
    expect(await page.locator('#error').textContent()).toBe(
      'This token cannot open the inbox: an operator token cannot use the dealer API; use an admin or manager ' +
        'token (FORBIDDEN). Sign in with a manager or admin token.',
    );
    expect(await page.locator('#signin').isVisible()).toBe(true);
    expect(await page.locator('#queue').isVisible()).toBe(false);
    expect(await page.locator('#who').textContent()).toBe('');
    expect(await page.evaluate<string | null>("sessionStorage.getItem('rp.inbox.token')")).toBeNull();
    await page.close();
  });

  it('keeps the outcome and note typed on a card when the token is revoked mid-action', async () => {
    const page = await openInbox(tokens.dora);
    const spare = card(page, 'spare');
    await spare.locator('[data-role=outcome]').selectOption('parts-ordered');
    await spare.locator('[data-role=note]').fill('call back Friday');
    await ds.query(`UPDATE api_tokens SET revoked_at = now() WHERE token_id = $1`, [
      tokens.dora.split('_')[1],
    ]);
    page.once('dialog', (d) => void d.accept());
    await spare.locator('[data-action=complete]').click();
    await page.locator('#signin').waitFor();
    expect(await page.locator('#error').textContent()).toBe(
      'Signed out: unknown, revoked, expired or malformed token (UNAUTHENTICATED). Sign in again; what you typed on the ' +
        'cards is kept.',
    );
    expect(await page.locator('#queue').isVisible()).toBe(false);

    // dora signs in with her new token: the card comes back as she left it, and says it was not sent.
    await signIn(page, tokens.dora2);
    await page.locator('#who', { hasText: 'dora' }).waitFor();
    const back = card(page, 'spare');
    await back.waitFor();
    expect(await back.locator('[data-role=outcome]').inputValue()).toBe('parts-ordered');
    expect(await back.locator('[data-role=note]').inputValue()).toBe('call back Friday');
    expect(await back.locator('[data-role=error]').textContent()).toBe(
      'Not sent: you were signed out first. Your outcome and note are kept; press Complete again.',
    );
    const task = await ds.query<{ status: string }[]>(
      `SELECT status FROM tasks WHERE dealer_id = 'd1' AND task_id = 'spare'`,
    );
    expect(task).toEqual([{ status: 'open' }]);

    // Someone else signing in on this page after a refusal does not get dora's drafts.
    await ds.query(`UPDATE api_tokens SET revoked_at = now() WHERE token_id = $1`, [
      tokens.dora2.split('_')[1],
    ]);
    await page.click('#refresh');
    await page.locator('#signin').waitFor();
    await signIn(page, tokens.bob);
    await page.locator('#who', { hasText: 'bob' }).waitFor();
    await card(page, 'spare').waitFor();
    expect(await card(page, 'spare').locator('[data-role=outcome]').inputValue()).toBe('');
    expect(await card(page, 'spare').locator('[data-role=note]').inputValue()).toBe('');
    await page.close();
  });

  it('fits a 375 px phone screen, sign-in form included', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
    await page.goto(`${app.baseUrl}/inbox`);
    await page.locator('#token').waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    const box = await page.locator('#token').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    await signIn(page, tokens.alice);
    await page.locator('article.task').first().waitFor();
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.close();
  });
});
