import { createDataSource, MIGRATIONS } from '@rp/database';
import type { MigrationInterface } from 'typeorm';
import { testConfig, useMigratedSchema } from '../../../../tests/support';
import { holdoutBucket } from '../core/holdout';
import { DEFAULT_FOLLOWUP_RULES, type FollowupRules } from '../core/settings';
import { decision, T0 } from '../core/spec-helpers';
import { DAY_MS } from '../core/task';
import { taskIdFor } from '../core/task-id';
import { applyDecision } from './apply-decision';
import { applySuppression } from './apply-suppression';

/** The holdout is the customer's, recorded once; a lowered share releases it (its holdout records open). */
describe('holdout per customer (applyDecision on Postgres)', () => {
  const config = testConfig();
  const ds = createDataSource(config.database);
  useMigratedSchema(ds, config.database.schema);

  const covering = (customerId: string): FollowupRules => ({
    ...DEFAULT_FOLLOWUP_RULES,
    holdoutShare: (holdoutBucket('dealer-1', customerId) + 1) / 10_000,
  });
  const shareZero: FollowupRules = { ...DEFAULT_FOLLOWUP_RULES, holdoutShare: 0 };
  const tasks = (customerId: string) =>
    ds.query<{ task_id: string; family: string; status: string; due_at: Date }[]>(
      'SELECT task_id, family, status, due_at FROM tasks WHERE customer_id = $1 ORDER BY family',
      [customerId],
    );
  const record = (customerId: string) =>
    ds.query<{ held: boolean; share: string | null; released_at: Date | null }[]>(
      'SELECT held, share, released_at FROM holdout_customers WHERE customer_id = $1',
      [customerId],
    );

  it('holds out every family of a held-out customer, and releases them all once the share no longer covers it', async () => {
    const c = 'c-held';
    const lapse = decision({ id: 'h1', customerId: c, family: 'lapse' });
    const exp = decision({
      id: 'h2',
      customerId: c,
      serialNumber: null,
      reasonCode: 'DETRACTOR',
      family: 'experience',
    });
    expect((await applyDecision(ds, lapse, null, covering(c), T0)).result).toBe('holdout');
    expect((await applyDecision(ds, exp, null, covering(c), T0)).result).toBe('holdout');
    expect(await record(c)).toEqual([
      { held: true, share: String(covering(c).holdoutShare), released_at: null },
    ]);

    // The experiment ends (share 0): the next decision, of a third family, opens a task, and the customer's
    // holdout records become open tasks, due a full window from now, escalations to arm.
    const now = T0 + 100 * DAY_MS;
    const tech = decision({
      id: 'h3',
      customerId: c,
      reasonCode: 'FAULT_WITHOUT_VISIT',
      family: 'technical',
    });
    const applied = await applyDecision(ds, tech, null, shareZero, now);
    expect(applied.result).toBe('created');
    expect(applied.escalation).toEqual({
      dealerId: 'dealer-1',
      taskId: taskIdFor('dealer-1', 'h3'),
      dueAtMs: now + 3 * DAY_MS,
    });
    expect(applied.released).toEqual(
      [
        { dealerId: 'dealer-1', taskId: taskIdFor('dealer-1', 'h2'), dueAtMs: now + 2 * DAY_MS },
        { dealerId: 'dealer-1', taskId: taskIdFor('dealer-1', 'h1'), dueAtMs: now + 14 * DAY_MS },
      ].sort((a, b) => (a.taskId < b.taskId ? -1 : 1)),
    );
    expect((await tasks(c)).map((t) => [t.family, t.status, t.due_at.getTime()])).toEqual([
      ['experience', 'open', now + 2 * DAY_MS],
      ['lapse', 'open', now + 14 * DAY_MS],
      ['technical', 'open', now + 3 * DAY_MS],
    ]);
    expect(await record(c)).toEqual([
      { held: false, share: String(covering(c).holdoutShare), released_at: new Date(now) },
    ]);
    // Released for good: the share covering the customer again does not put it back.
    const again = decision({ id: 'h4', customerId: c, reasonCode: 'MAINTENANCE_OVERDUE', family: 'lapse' });
    expect((await applyDecision(ds, again, null, covering(c), now)).result).toBe('merged');
    expect((await tasks(c)).map((t) => t.status)).toEqual(['open', 'open', 'open']);
  });

  it('never enrols a customer already contacted, and keeps a customer drawn out of the holdout out of it', async () => {
    // A customer with an open task from before the holdout was recorded.
    await ds.query(
      `INSERT INTO tasks (dealer_id, task_id, customer_id, serial_number, branch_id, family, status, reasons,
                          priority, value_at_risk, due_at)
       VALUES ('dealer-1', 'legacy-1', 'c-contacted', 'SN1', 'b1', 'lapse', 'open', '[]', 1, 1, now())`,
    );
    const d = decision({
      id: 'k1',
      customerId: 'c-contacted',
      reasonCode: 'DETRACTOR',
      family: 'experience',
    });
    expect((await applyDecision(ds, d, null, { ...shareZero, holdoutShare: 1 }, T0)).result).toBe('created');
    expect(await record('c-contacted')).toEqual([{ held: false, share: '1', released_at: null }]);

    // Drawn out at share 0: a share raised later does not hold the customer's next family out.
    const first = decision({ id: 'k2', customerId: 'c-out', family: 'lapse' });
    expect((await applyDecision(ds, first, null, shareZero, T0)).result).toBe('created');
    const next = decision({ id: 'k3', customerId: 'c-out', reasonCode: 'DETRACTOR', family: 'experience' });
    expect((await applyDecision(ds, next, null, { ...shareZero, holdoutShare: 1 }, T0)).result).toBe(
      'created',
    );
    expect((await tasks('c-out')).map((t) => t.status)).toEqual(['open', 'open']);
  });
  /** Two holdout records (machines SN-A, SN-B) of a customer held out before holdout_customers existed. */
  const legacyHoldouts = (customerId: string) =>
    ds.query(
      `INSERT INTO tasks (dealer_id, task_id, customer_id, serial_number, branch_id, family, status, reasons,
                          priority, value_at_risk, due_at)
       SELECT 'dealer-1', $1 || '-' || sn, $1, sn, 'b1', 'lapse', 'holdout',
              '[{"code":"POST_WARRANTY_NO_SERVICE","detectedAt":"2026-01-01T00:00:00.000Z"}]', 1, 1, now()
         FROM unnest(ARRAY['SN-A', 'SN-B']) AS sn`,
      [customerId],
    );
  /** SN-A is sold: the suppression closes its holdout record. */
  const sellA = (customerId: string) =>
    applySuppression(
      ds,
      {
        id: `s-${customerId}`,
        dealerId: 'dealer-1',
        customerId,
        serialNumber: 'SN-A',
        reasonCode: 'MACHINE_SOLD',
        sinceMs: T0,
      },
      null,
      T0,
    );
  const statuses = (customerId: string) =>
    ds.query<{ task_id: string; status: string; closed_in_holdout: boolean }[]>(
      'SELECT task_id, status, closed_in_holdout FROM tasks WHERE customer_id = $1 ORDER BY task_id',
      [customerId],
    );

  it('never counts a holdout record closed by a suppression as a contact when drawing a customer', async () => {
    const c = 'c-sold';
    await legacyHoldouts(c);
    expect(await sellA(c)).toEqual({ closed: [`${c}-SN-A`] });
    const d = decision({ id: 'x1', customerId: c, serialNumber: 'SN-C', reasonCode: 'MAINTENANCE_OVERDUE' });
    const applied = await applyDecision(ds, d, null, covering(c), T0 + DAY_MS);
    expect(applied.result).toBe('holdout');
    expect(applied.released ?? []).toEqual([]);
    expect(await record(c)).toEqual([
      { held: true, share: String(covering(c).holdoutShare), released_at: null },
    ]);
    expect(await statuses(c)).toEqual(
      [
        { task_id: `${c}-SN-A`, status: 'done', closed_in_holdout: true },
        { task_id: `${c}-SN-B`, status: 'holdout', closed_in_holdout: false },
        { task_id: taskIdFor('dealer-1', 'x1'), status: 'holdout', closed_in_holdout: false },
      ].sort((a, b) => (a.task_id < b.task_id ? -1 : 1)),
    );
  });

  // Last: it re-creates holdout_customers as migration 1795301850000 did (every earlier record is dropped).
  it('migration 1795301890000 holds out again a customer the 1795301850000 backfill released for a suppressed holdout record', async () => {
    const migration = (name: string): MigrationInterface => {
      const M = MIGRATIONS.find((m) => m.name === name);
      if (!M) throw new Error(`migration ${name} not registered`);
      return new M();
    };
    const run = async (name: string, step: 'up' | 'down') => {
      const qr = ds.createQueryRunner();
      try {
        await migration(name)[step](qr);
      } finally {
        await qr.release();
      }
    };
    const c = 'c-backfill';
    const contacted = 'c-claimed';
    // Data from before 1795301850000: c's SN-A holdout record closed by a suppression; another customer with
    // a holdout record and a task a person claimed and completed (a contact: stays released).
    await run('HoldoutContacts1795301890000', 'down');
    await ds.query('DROP TABLE holdout_customers');
    await legacyHoldouts(c);
    await ds.query(
      `UPDATE tasks SET status = 'done', outcome = 'machine-sold', outcome_note = 'closed by the system: machine sold',
                        closed_at = now() WHERE task_id = $1`,
      [`${c}-SN-A`],
    );
    await legacyHoldouts(contacted);
    await ds.query(
      `INSERT INTO tasks (dealer_id, task_id, customer_id, serial_number, branch_id, family, status, reasons,
                          priority, value_at_risk, due_at, assignee, outcome, closed_at)
       VALUES ('dealer-1', 'worked', $1, 'SN-W', 'b1', 'experience', 'done', '[]', 1, 1, now(), 'ann', 'contacted', now())`,
      [contacted],
    );
    await run('HoldoutCustomers1795301850000', 'up');
    const heldOf = async () =>
      ds.query<{ customer_id: string; held: boolean }[]>(
        'SELECT customer_id, held FROM holdout_customers ORDER BY customer_id',
      );
    // (c-sold, of the test above, has a holdout record closed by a suppression too.)
    expect(await heldOf()).toEqual([
      { customer_id: c, held: false },
      { customer_id: contacted, held: false },
      { customer_id: 'c-sold', held: false },
    ]);

    await run('HoldoutContacts1795301890000', 'up');
    expect(await heldOf()).toEqual([
      { customer_id: c, held: true },
      { customer_id: contacted, held: false },
      { customer_id: 'c-sold', held: true },
    ]);
    // c's next decision keeps it held out: nothing is opened.
    const d = decision({ id: 'x2', customerId: c, serialNumber: 'SN-C', reasonCode: 'MAINTENANCE_OVERDUE' });
    const applied = await applyDecision(ds, d, null, covering(c), T0 + DAY_MS);
    expect(applied.result).toBe('holdout');
    expect(applied.released ?? []).toEqual([]);
    expect((await statuses(c)).map((t) => [t.task_id, t.status])).toEqual(
      [
        [`${c}-SN-A`, 'done'],
        [`${c}-SN-B`, 'holdout'],
        [taskIdFor('dealer-1', 'x2'), 'holdout'],
      ].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    );
  });
});
