import { iso, type Executor } from '../projections/sql';
import { SERIAL_SUBJECT } from './schedule';

/**
 * Owner of a machine as of an instant, from its transfers only up to that instant: the buyer of the latest
 * transfer at or before it; before the first transfer its seller; a machine never transferred, its owner
 * (delivery). Transfers after the instant never change the answer, so a sweep resolves the same owner
 * whether or not a later sale has been ingested yet (live and replay batch differently).
 */
const OWNER_AS_OF_SQL = `
SELECT x.i::int AS i,
       COALESCE(
         (SELECT o.to_customer_id FROM ownership_history o
           WHERE o.dealer_id = x.d AND o.serial_number = x.s AND o.transferred_at <= x.at
           ORDER BY o.transferred_at DESC, o.event_id DESC LIMIT 1),
         CASE WHEN EXISTS (SELECT 1 FROM ownership_history o WHERE o.dealer_id = x.d AND o.serial_number = x.s)
              THEN (SELECT o.from_customer_id FROM ownership_history o
                     WHERE o.dealer_id = x.d AND o.serial_number = x.s
                     ORDER BY o.transferred_at, o.event_id LIMIT 1)
              ELSE m.customer_id END) AS customer_id
  FROM unnest($1::text[], $2::text[], $3::timestamptz[]) WITH ORDINALITY AS x(d, s, at, i)
  LEFT JOIN machines m ON m.dealer_id = x.d AND m.serial_number = x.s`;

/**
 * Timers scheduled by serial fire for the machine's owner as of the timer's instant; a machine nobody owned
 * then has nothing to evaluate. Other timers pass through unchanged.
 */
export async function resolveMachineSubjects<
  T extends { dealer_id: string; customer_id: string; at: number },
>(db: Executor, due: T[]): Promise<T[]> {
  const bySerial = due.filter((t) => t.customer_id.startsWith(SERIAL_SUBJECT));
  if (bySerial.length === 0) return due;
  const owners = await db.query<{ i: number; customer_id: string | null }[]>(OWNER_AS_OF_SQL, [
    bySerial.map((t) => t.dealer_id),
    bySerial.map((t) => t.customer_id.slice(SERIAL_SUBJECT.length)),
    bySerial.map((t) => iso(t.at)),
  ]);
  const owner = new Map(owners.map((o) => [Number(o.i) - 1, o.customer_id]));
  const resolved = bySerial.flatMap((t, i) => {
    const c = owner.get(i);
    return c === null || c === undefined ? [] : [{ ...t, customer_id: c }];
  });
  return [...due.filter((t) => !t.customer_id.startsWith(SERIAL_SUBJECT)), ...resolved];
}
