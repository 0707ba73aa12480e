import type { Executor } from '../projections/sql';
import { ms } from '../risk-state/sql-helpers';
import { SERIAL_SUBJECT } from './schedule';

/** A machine's owner now and its transfers, in (transferred_at, event_id) order as Postgres sorts them. */
interface MachineOwners {
  i: number;
  customer_id: string | null;
  transfers: { at: number; from: string | null; to: string }[];
}

// One row per distinct machine of the due timers (a sweep's round resolves tens of thousands of machine
// instants: probing ownership_history per instant cost ~170 ms a round); instants are resolved below.
const OWNERS_SQL = `
SELECT x.i::int AS i, m.customer_id,
       COALESCE((SELECT json_agg(json_build_object('at', ${ms('o.transferred_at')}, 'from', o.from_customer_id,
                                                   'to', o.to_customer_id) ORDER BY o.transferred_at, o.event_id)
                   FROM ownership_history o WHERE o.dealer_id = x.d AND o.serial_number = x.s), '[]'::json) AS transfers
  FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(d, s, i)
  LEFT JOIN machines m ON m.dealer_id = x.d AND m.serial_number = x.s`;

/**
 * Owner of a machine as of an instant, from its transfers only up to that instant: the buyer of the latest
 * transfer at or before it; before the first transfer its seller; a machine never transferred, its owner
 * (delivery). Transfers after the instant never change the answer, so a sweep resolves the same owner
 * whether or not a later sale has been ingested yet (live and replay batch differently).
 */
export function ownerAsOf(owners: Omit<MachineOwners, 'i'>, atMs: number): string | null {
  const { transfers } = owners;
  if (transfers.length === 0) return owners.customer_id;
  for (let k = transfers.length - 1; k >= 0; k--) if (transfers[k].at <= atMs) return transfers[k].to;
  return transfers[0].from;
}

/**
 * Timers scheduled by serial fire for the machine's owner as of the timer's instant; a machine nobody owned
 * then has nothing to evaluate. Other timers pass through unchanged.
 */
export async function resolveMachineSubjects<
  T extends { dealer_id: string; customer_id: string; at: number },
>(db: Executor, due: T[]): Promise<T[]> {
  const bySerial = due.filter((t) => t.customer_id.startsWith(SERIAL_SUBJECT));
  if (bySerial.length === 0) return due;
  const machines = new Map<string, number>();
  const keyOf = (t: T) => `${t.dealer_id}\u0000${t.customer_id}`;
  const dealers: string[] = [];
  const serials: string[] = [];
  for (const t of bySerial) {
    const key = keyOf(t);
    if (machines.has(key)) continue;
    machines.set(key, dealers.length);
    dealers.push(t.dealer_id);
    serials.push(t.customer_id.slice(SERIAL_SUBJECT.length));
  }
  const rows = await db.query<MachineOwners[]>(OWNERS_SQL, [dealers, serials]);
  const byIndex = new Map(rows.map((r) => [Number(r.i) - 1, r]));
  const resolved = bySerial.flatMap((t) => {
    const owners = byIndex.get(machines.get(keyOf(t))!);
    const c = owners === undefined ? null : ownerAsOf(owners, t.at);
    return c === null ? [] : [{ ...t, customer_id: c }];
  });
  return [...due.filter((t) => !t.customer_id.startsWith(SERIAL_SUBJECT)), ...resolved];
}
