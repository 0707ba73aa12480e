import type { EntityManager } from 'typeorm';
import { drawHoldout, heldOutNow } from '../core/holdout';
import { releasedDueAtMs } from '../core/due-date';
import type { FollowupRules } from '../core/settings';
import type { EscalationJobData } from './job-names';

type Executor = Pick<EntityManager, 'query'>;

export interface CustomerKey {
  dealerId: string;
  customerId: string;
}

/** Key of a customer in the set recordHoldouts returns. */
export const holdoutKey = (dealerId: string, customerId: string): string => `${dealerId}\u0000${customerId}`;

interface RecordRow {
  dealer_id: string;
  customer_id: string;
  held: boolean;
}

/**
 * A task that reached a person (alias `t`): open or claimed, or done after a claim or a person's completion
 * (the API's completion always sets `assignee`). A holdout record closed by a suppression is done with no
 * assignee: no contact, so it never keeps a customer out of the holdout.
 */
const CONTACT_SQL = `(t.status IN ('open', 'claimed') OR (t.status = 'done' AND t.assignee IS NOT NULL))`;

const columns = (keys: CustomerKey[]) => [keys.map((k) => k.dealerId), keys.map((k) => k.customerId)];

async function recorded(db: Executor, keys: CustomerKey[]): Promise<RecordRow[]> {
  return db.query<RecordRow[]>(
    `SELECT h.dealer_id, h.customer_id, h.held FROM holdout_customers h
       JOIN unnest($1::text[], $2::text[]) AS k(dealer_id, customer_id)
         ON h.dealer_id = k.dealer_id AND h.customer_id = k.customer_id`,
    columns(keys),
  );
}

/**
 * The one place the holdout is decided: customers without a record get one, drawn under `share`
 * (drawHoldout: never a customer already contacted, CONTACT_SQL); returns the keys (holdoutKey) of
 * those held out under the current share (heldOutNow). Concurrent callers (decision jobs, the alert
 * fan-out) insert with ON CONFLICT DO NOTHING and read back what was recorded, so all see the same decision.
 * Run it outside a transaction that holds other locks (a statement waits for a concurrent first insert).
 */
export async function recordHoldouts(db: Executor, keys: CustomerKey[], share: number): Promise<Set<string>> {
  const unique = [...new Map(keys.map((k) => [holdoutKey(k.dealerId, k.customerId), k])).entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, k]) => k);
  if (unique.length === 0) return new Set();
  const rows = await recorded(db, unique);
  const known = new Set(rows.map((r) => holdoutKey(r.dealer_id, r.customer_id)));
  const missing = unique.filter((k) => !known.has(holdoutKey(k.dealerId, k.customerId)));
  if (missing.length > 0) {
    const contacted = new Set(
      (
        await db.query<{ dealer_id: string; customer_id: string }[]>(
          `SELECT DISTINCT t.dealer_id, t.customer_id FROM tasks t
             JOIN unnest($1::text[], $2::text[]) AS k(dealer_id, customer_id)
               ON t.dealer_id = k.dealer_id AND t.customer_id = k.customer_id
            WHERE ${CONTACT_SQL}`,
          columns(missing),
        )
      ).map((r) => holdoutKey(r.dealer_id, r.customer_id)),
    );
    const held = missing.map((k) =>
      drawHoldout(k.dealerId, k.customerId, share, contacted.has(holdoutKey(k.dealerId, k.customerId))),
    );
    await db.query(
      `INSERT INTO holdout_customers (dealer_id, customer_id, held, share)
       SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[], $4::numeric[])
       ON CONFLICT DO NOTHING`,
      [...columns(missing), held, missing.map(() => share)],
    );
    rows.push(...(await recorded(db, missing)));
  }
  return new Set(
    rows
      .filter((r) => heldOutNow(r.held, r.dealer_id, r.customer_id, share))
      .map((r) => holdoutKey(r.dealer_id, r.customer_id)),
  );
}

/**
 * Inside a decision's transaction (after recordHoldouts): locks the customer's record, so decisions of
 * the customer's other keys wait, and says whether it is held out now. A customer no longer held out under
 * the current share is released for good, and its holdout records become open tasks, due no earlier than
 * their family's window from now (releasedDueAtMs); their escalations are returned to arm after commit.
 */
export async function settleHoldout(
  em: EntityManager,
  key: CustomerKey,
  rules: FollowupRules,
  nowMs: number,
): Promise<{ heldOut: boolean; released: EscalationJobData[] }> {
  const [rec] = await em.query<{ held: boolean }[]>(
    'SELECT held FROM holdout_customers WHERE dealer_id = $1 AND customer_id = $2 FOR UPDATE',
    [key.dealerId, key.customerId],
  );
  const held = rec?.held ?? false;
  if (heldOutNow(held, key.dealerId, key.customerId, rules.holdoutShare))
    return { heldOut: true, released: [] };
  if (held) {
    await em.query(
      'UPDATE holdout_customers SET held = false, released_at = $3 WHERE dealer_id = $1 AND customer_id = $2',
      [key.dealerId, key.customerId, new Date(nowMs).toISOString()],
    );
  }
  const holdouts = await em.query<{ task_id: string; family: string; due_at: Date }[]>(
    `SELECT task_id, family, due_at FROM tasks WHERE dealer_id = $1 AND customer_id = $2 AND status = 'holdout'
      ORDER BY task_id FOR UPDATE`,
    [key.dealerId, key.customerId],
  );
  const released: EscalationJobData[] = [];
  for (const t of holdouts) {
    const dueAtMs = releasedDueAtMs(new Date(t.due_at).getTime(), t.family, rules, nowMs);
    await em.query(
      `UPDATE tasks SET status = 'open', due_at = $3, updated_at = now() WHERE dealer_id = $1 AND task_id = $2`,
      [key.dealerId, t.task_id, new Date(dueAtMs).toISOString()],
    );
    released.push({ dealerId: key.dealerId, taskId: t.task_id, dueAtMs });
  }
  return { heldOut: false, released };
}
