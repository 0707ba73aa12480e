import { createDataSource } from '@rp/database';
import { applyDecision, DEFAULT_FOLLOWUP_RULES, type FollowupDecision } from '@rp/followups';
import { testConfig, useMigratedSchema } from '../../../../tests/support';
import type { Caller } from '../auth/token';
import type { OutcomePublisher } from '../outcomes/outcome-publisher';
import { TasksService } from './tasks.service';

/** PRODUCT: priority = value at risk × reason weight × urgency, urgency doubling when a warranty ends within 30 days. */
describe('task queue priority with the warranty urgency (TasksService on Postgres)', () => {
  const DAY = 86_400_000;
  const config = testConfig();
  const ds = createDataSource(config.database);
  useMigratedSchema(ds, config.database.schema);
  const service = new TasksService(ds, {} as OutcomePublisher, config, {} as never);
  const admin: Caller = { tokenId: 'tok', dealerId: 'dealer-u', role: 'admin', subject: 'admin' };
  afterEach(async () => {
    await ds.query('DELETE FROM tasks');
  });

  const insert = async (taskId: string, priority: number, warrantyEndsInDays: number | null) => {
    await ds.query(
      `INSERT INTO tasks (dealer_id, task_id, customer_id, serial_number, branch_id, family, status, reasons,
                          priority, value_at_risk, due_at, warranty_ends_at)
       VALUES ('dealer-u', $1, $1, null, 'b1', 'coverage', 'open', '[]', $2, 1, now(),
               CASE WHEN $3::int IS NULL THEN NULL ELSE now() + make_interval(days => $3::int) END)`,
      [taskId, priority, warrantyEndsInDays],
    );
  };

  it('doubles a coverage task whose warranty now ends within 30 days, set by its decision 90 days before', async () => {
    const now = Date.now();
    const d: FollowupDecision = {
      id: 'cov-1',
      dealerId: 'dealer-u',
      customerId: 'c-cov',
      serialNumber: 'SN-COV',
      branchId: 'b1',
      reasonCode: 'WARRANTY_ENDING_UNCOVERED',
      family: 'coverage',
      message: 'warranty ends without a contract',
      evidenceEventIds: ['e1'],
      ruleVersion: '1',
      detectedAtMs: now - 70 * DAY,
      urgency: { warrantyEndsAtMs: now + 20 * DAY },
      valueAtRisk: 525,
      priority: 525,
    };
    expect((await applyDecision(ds, d, null, DEFAULT_FOLLOWUP_RULES, now)).result).toBe('created');
    const { items } = await service.list(admin, { status: 'open', limit: 10 }, now);
    expect(items.map((t) => [t.customerId, t.priority])).toEqual([['c-cov', 1050]]);
  });

  it("never doubles twice: a decision valued ×2 at detection for the fleet's coverage end keeps ×2 as its own end nears", async () => {
    const now = Date.now();
    // As ingest publishes it: machine SN-M1's warranty ends in 60 days, but machine SN-M2 of the same customer
    // loses coverage in 10, so valueDecision doubled the priority (1050 → 2100) for that nearest end.
    const d: FollowupDecision = {
      id: 'cov-fleet',
      dealerId: 'dealer-u',
      customerId: 'c-fleet',
      serialNumber: 'SN-M1',
      branchId: 'b1',
      reasonCode: 'WARRANTY_ENDING_UNCOVERED',
      family: 'coverage',
      message: 'warranty ends without a contract',
      evidenceEventIds: ['e1'],
      ruleVersion: '1',
      detectedAtMs: now,
      urgency: { warrantyEndsAtMs: now + 60 * DAY },
      valueAtRisk: 1050,
      priority: 2100,
    };
    const published = { ...d, urgencyFactor: 2 as const, urgencyEndsAtMs: now + 10 * DAY };
    expect((await applyDecision(ds, published, null, DEFAULT_FOLLOWUP_RULES, now)).result).toBe('created');
    const at = async (ms: number) =>
      (await service.list(admin, { status: 'open', limit: 10 }, ms)).items.map((t) => [
        t.customerId,
        t.priority,
      ]);
    expect(await at(now)).toEqual([['c-fleet', 2100]]);
    // 40 days on, SN-M1's own end is 20 days ahead: still ×2 at most (PRODUCT), not 4200.
    expect(await at(now + 40 * DAY)).toEqual([['c-fleet', 2100]]);
  });

  it("pages at the first page's clock: a task whose end enters the window between pages is neither skipped nor repeated", async () => {
    const t0 = Date.now();
    const end = async (taskId: string, ms: number) => {
      await ds.query(
        `UPDATE tasks SET warranty_ends_at = $2::timestamptz WHERE dealer_id = 'dealer-u' AND task_id = $1`,
        [taskId, new Date(ms).toISOString()],
      );
    };
    await insert('p-a', 900, null);
    await insert('p-b', 800, null);
    await insert('p-c', 700, null);
    await insert('p-d', 500, null);
    await insert('p-e', 400, null);
    await end('p-d', t0 + 31 * DAY + 5_000); // 500 at t0; 1000 from t0 + 5 s on
    await end('p-e', t0 + 2_000); // 800 at t0; 400 from t0 + 2 s on
    const walk = async (pageTimes: number[]) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (const ms of pageTimes) {
        const r = await service.list(admin, { status: 'open', limit: 2, ...(cursor ? { cursor } : {}) }, ms);
        seen.push(...r.items.map((t) => `${t.id}:${t.priority}`));
        if (r.nextCursor === null) return seen;
        cursor = r.nextCursor;
      }
      throw new Error(`walk not finished after ${pageTimes.length} pages: ${seen.join(' ')}`);
    };
    // Later pages requested 10 s on: every task once, as the first page's instant ranked them.
    expect(await walk([t0, t0 + 10_000, t0 + 10_000, t0 + 10_000])).toEqual([
      'p-a:900',
      'p-b:800',
      'p-e:800',
      'p-c:700',
      'p-d:500',
    ]);
    // A walk started later is evaluated at its own start.
    expect(await walk([t0 + 10_000, t0 + 20_000, t0 + 20_000])).toEqual([
      'p-d:1000',
      'p-a:900',
      'p-b:800',
      'p-c:700',
      'p-e:400',
    ]);
  });

  it('orders and pages by the effective priority, with a cursor that walks every task once', async () => {
    await insert('a-plain', 600, null);
    await insert('b-soon', 525, 20); // 1050
    await insert('c-later', 525, 60); // 525
    await insert('d-ended', 1000, -1); // 1000: the warranty has ended
    await insert('e-later', 525, 45); // 525
    await insert('f-edge', 300, 30); // 600: 30 whole days ahead
    const seen: [string, number][] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page++) {
      const r = await service.list(
        admin,
        { status: 'open', limit: 2, ...(cursor ? { cursor } : {}) },
        Date.now(),
      );
      seen.push(...r.items.map((t): [string, number] => [t.id, t.priority]));
      if (r.nextCursor === null) break;
      cursor = r.nextCursor;
    }
    expect(seen).toEqual([
      ['b-soon', 1050],
      ['d-ended', 1000],
      ['a-plain', 600],
      ['f-edge', 600],
      ['c-later', 525],
      ['e-later', 525],
    ]);
  });

  it('never shows a holdout record a suppression closed (it would reveal a held-out customer)', async () => {
    for (const [taskId, heldOut] of [
      ['t-seen', false],
      ['t-held', true],
    ] as const) {
      await ds.query(
        `INSERT INTO tasks (dealer_id, task_id, customer_id, serial_number, branch_id, family, status, reasons,
                            priority, value_at_risk, due_at, closed_at, closed_in_holdout)
         VALUES ('dealer-u', $1, $1, 'SN-1', 'b1', 'lapse', 'done', '[]', 10, 1, now(), now(), $2)`,
        [taskId, heldOut],
      );
    }
    const { items } = await service.list(admin, { status: 'done', limit: 10 }, Date.now());
    expect(items.map((t) => t.id)).toEqual(['t-seen']);
    await expect(service.one(admin, 't-held')).rejects.toThrow('task t-held not found');
    await expect(service.one(admin, 't-seen')).resolves.toMatchObject({ id: 't-seen', status: 'done' });
  });
});
