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
    const { items } = await service.list(admin, { status: 'open', limit: 10 });
    expect(items.map((t) => [t.customerId, t.priority])).toEqual([['c-cov', 1050]]);
    await ds.query('DELETE FROM tasks');
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
      const r = await service.list(admin, { status: 'open', limit: 2, ...(cursor ? { cursor } : {}) });
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
});
