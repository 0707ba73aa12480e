import {
  evaluate,
  resolveRules,
  type CustomerState,
  type MachineState,
  type RuleSet,
  type Suppression,
} from '@rp/risk';
import { preparing } from '../projections/prepared';
import { iso, type Executor } from '../projections/sql';
import { AliveModels } from './alive-model';
import {
  fleetFactsAt,
  valueDecision,
  valueSettingsOf,
  type FleetFacts,
  type ValueSettings,
} from './decision-value';
import { resolveMachineSubjects } from './machine-owner';
import { Earliest, record, type ValuedDecision } from './record-round';
import { insertTimers, SERIAL_SUBJECT, timerRows } from './schedule';

export type LoadState = (
  db: Executor,
  dealerId: string,
  customerIds: string[],
  opts?: { evaluatedFrom?: ReadonlyMap<string, number> },
) => Promise<
  Map<string, { customer: CustomerState; machines: MachineState[]; earlierPurchaseDays?: number[] }>
>;

export interface RiskEngine {
  ruleSet: RuleSet;
  /** The pipeline's value defaults; the rule set's `value` (document, then dealer) overrides them. */
  value: ValueSettings;
  loadState: LoadState;
}

export type { ValuedDecision } from './record-round';

/**
 * Fires the timers due at or before the watermark: each customer is evaluated as of each due instant
 * (state loaded once per dealer; the pure rules ignore later facts). New decisions and new suppressions get
 * an outbox row in the same transaction; the rules' next check becomes a new timer. A timer row carries a
 * 28-day span of instants of its subject; instants still ahead of the watermark go back as one row. A round takes
 * every due row of up to `limit` subjects of one dealer: the one with the oldest due timer that no
 * concurrent sweep holds (rounds of different dealers run side by side; one dealer's never do). Returns how
 * many subjects fired, and whether more are due.
 */
export async function fireDueTimers(
  tx: Executor,
  watermarkMs: number,
  engine: RiskEngine,
  limit = 1000,
  /** Kafka heartbeat of the batch in flight, between dealers of a long sweep. */
  heartbeat?: () => Promise<void>,
): Promise<{ subjects: number; more: boolean }> {
  const db = preparing(tx); // the same statements every round: planned once per connection
  const dealerId = await claimDealer(db, watermarkMs);
  if (dealerId === null) return { subjects: 0, more: false };
  const due = await db.query<
    {
      dealer_id: string;
      customer_id: string;
      due_at: Date;
      later_ms: (string | number)[];
      saturated: boolean;
    }[]
  >(
    // Whole subjects per round (all their due rows): a customer's state is loaded once per sweep, not once
    // per span of due instants; all of one dealer, whose state is loaded in one go. A customer's own timers
    // and those of its machines (by serial) are taken together, so a round evaluates each customer it loads
    // at all of its due instants, instead of one round evaluating it for its own events and others again for
    // each machine's snapshots (a replay evaluated a third of its instants twice). Machines are grouped by
    // their current owner; the owner as of each instant is resolved below (any grouping decides alike).
    //
    // The round's first subjects are those with the oldest due timers: read from the due index in order, a
    // window of WINDOW_PER_SUBJECT rows per subject wanted (all due rows were grouped at every round: 60 ms a
    // round in a replay). Every subject outside the window has its oldest due timer after every one inside,
    // so when the window holds enough subjects they are exactly the oldest; a window full of fewer (one
    // subject's many rows) makes a smaller round and says more may be due. The due rows of the chosen subjects
    // are locked through the primary key and deleted by key (not a hash join over the whole table). By key, not
    // by row address: a row another transaction updated (a new instant merged in) and committed after this
    // statement's snapshot is locked in its new version, which a delete by address cannot see — it would stay,
    // locked but not fired; a delete by key re-checks the new version and fires it.
    // Wrapped in a CTE: TypeORM returns [rows, count] for a bare DELETE … RETURNING.
    `WITH earliest AS (
       SELECT customer_id, due_at FROM risk_timers WHERE dealer_id = $3 AND due_at <= $1
        ORDER BY due_at, customer_id LIMIT $5),
     first AS (
       SELECT customer_id FROM earliest GROUP BY customer_id ORDER BY min(due_at), customer_id LIMIT $2),
     owners AS (
       SELECT DISTINCT COALESCE(m.customer_id, f.customer_id) AS owner FROM first f
         LEFT JOIN machines m ON starts_with(f.customer_id, $4) AND m.dealer_id = $3
                             AND m.serial_number = substr(f.customer_id, length($4) + 1)),
     subjects AS (
       SELECT owner AS customer_id FROM owners
        UNION
       SELECT $4 || m.serial_number FROM machines m JOIN owners o ON m.customer_id = o.owner
        WHERE m.dealer_id = $3
        UNION
       SELECT customer_id FROM first),
     locked AS (
       SELECT k.customer_id, k.due_at FROM subjects s
        CROSS JOIN LATERAL (SELECT customer_id, due_at FROM risk_timers
                             WHERE dealer_id = $3 AND customer_id = s.customer_id AND due_at <= $1
                               FOR UPDATE SKIP LOCKED) k),
     fired AS (
       DELETE FROM risk_timers t USING locked l
        WHERE t.dealer_id = $3 AND t.customer_id = l.customer_id AND t.due_at = l.due_at
       RETURNING t.dealer_id, t.customer_id, t.due_at, t.later_ms)
     SELECT fired.*, (SELECT count(*) FROM earliest) >= $5 AS saturated FROM fired`,
    [iso(watermarkMs), limit, dealerId, SERIAL_SUBJECT, limit * WINDOW_PER_SUBJECT],
  );
  if (due.length === 0) return { subjects: 0, more: false };
  const ready: { dealer_id: string; customer_id: string; at: number }[] = [];
  const ahead: [string, string, number][] = [];
  for (const t of due) {
    for (const at of [new Date(t.due_at).getTime(), ...t.later_ms.map(Number)]) {
      if (at <= watermarkMs) ready.push({ dealer_id: t.dealer_id, customer_id: t.customer_id, at });
      else ahead.push([t.dealer_id, t.customer_id, at]);
    }
  }
  await insertTimers(db, timerRows(ahead));
  const byDealer = new Map<string, Map<string, number[]>>();
  for (const t of await resolveMachineSubjects(db, ready)) {
    const customers = byDealer.get(t.dealer_id) ?? new Map<string, number[]>();
    const instants = customers.get(t.customer_id);
    if (instants === undefined) customers.set(t.customer_id, [t.at]);
    else instants.push(t.at);
    byDealer.set(t.dealer_id, customers);
  }
  // The earliest detection of each decision / suppression (an open episode is found again at every later
  // instant): later ones are dropped before they are valued or copied.
  const decisions = new Earliest<ValuedDecision>();
  const suppressions = new Earliest<Suppression>();
  const next: [string, string, number][] = [];
  for (const [dealerId, customers] of [...byDealer].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await heartbeat?.();
    const states = await engine.loadState(db, dealerId, [...customers.keys()], {
      evaluatedFrom: new Map(
        [...customers].map(([id, instants]) => [id, instants.reduce((a, b) => Math.min(a, b))]),
      ),
    });
    const models = new AliveModels(db, dealerId);
    const value = valueSettingsOf(resolveRules(engine.ruleSet, dealerId), engine.value);
    for (const [customerId, instants] of customers) {
      const state = states.get(customerId);
      if (!state) continue;
      // Instants in order; a next check the watermark has already passed is evaluated right here
      // instead of round-tripping through risk_timers (each instant once per sweep).
      const queue = [...new Set(instants)].sort((a, b) => a - b);
      for (let i = 0; i < queue.length; i++) {
        const at = queue[i];
        const customer = await models.customerAt(state.customer, customerId, at, state.earlierPurchaseDays);
        const result = evaluate(state.machines, customer, at, engine.ruleSet);
        let fleet: FleetFacts | undefined; // only when a decision is new or earlier
        for (const d of result.decisions) {
          if (!decisions.earlier(d)) continue;
          fleet ??= fleetFactsAt(state.machines, at);
          // Routed to the customer's branch (PRODUCT); the machine's only while the customer has none.
          const branchId =
            state.customer.branchId ||
            (state.machines.find((m) => m.serialNumber === d.serialNumber)?.branchId ?? '');
          decisions.put({
            ...d,
            ...valueDecision(d, customer, fleet, value),
            branchId,
          });
        }
        for (const x of result.suppressions) if (suppressions.earlier(x)) suppressions.put(x);
        const check = result.nextCheckAtMs;
        if (check !== null && check <= watermarkMs) insertSorted(queue, check, i + 1);
        else if (check !== null) next.push([dealerId, customerId, check]);
      }
    }
  }
  await record(db, decisions.items(), suppressions.items(), next);
  const subjects = new Set(due.map((t) => `${t.dealer_id}\u0000${t.customer_id}`)).size;
  // More due: this dealer's round was full (or its window was), or other dealers wait.
  const more = subjects >= limit || due[0].saturated || (await othersDue(db, watermarkMs, dealerId));
  return { subjects, more };
}

/** Due rows read per subject wanted when choosing a round's subjects (a subject has a row per 28-day span due). */
const WINDOW_PER_SUBJECT = 16;

/** Some other dealer has a timer due: asked only when this dealer's round was not full. */
async function othersDue(db: Executor, watermarkMs: number, dealerId: string): Promise<boolean> {
  const rows = await db.query<unknown[]>(
    'SELECT 1 FROM risk_timers WHERE due_at <= $1 AND dealer_id <> $2 LIMIT 1',
    [iso(watermarkMs), dealerId],
  );
  return rows.length > 0;
}

const DEALER_LOCK = 727_150_321;
const CLAIM_TRIES = 8;

/**
 * Claims the dealer with the oldest due timer among those no concurrent sweep holds: a transaction-scoped
 * advisory lock per (schema, dealer), re-entrant within a transaction. Null when nothing is due, or the
 * oldest few are all being swept (their sweeps go on while more are due).
 */
async function claimDealer(db: Executor, watermarkMs: number): Promise<string | null> {
  const held: string[] = [];
  for (let i = 0; i < CLAIM_TRIES; i++) {
    const rows = await db.query<{ dealer_id: string; claimed: boolean }[]>(
      `SELECT x.dealer_id, pg_try_advisory_xact_lock($3, hashtext(current_schema() || '/' || x.dealer_id)) AS claimed
         FROM (SELECT dealer_id FROM risk_timers WHERE due_at <= $1 AND dealer_id <> ALL($2::text[])
                ORDER BY due_at, dealer_id LIMIT 1) x`,
      [iso(watermarkMs), held, DEALER_LOCK],
    );
    if (rows.length === 0) return null;
    if (rows[0].claimed) return rows[0].dealer_id;
    held.push(rows[0].dealer_id);
  }
  return null;
}

/** Inserts `at` into the ascending `queue` at or after index `from`, unless it is there already. */
function insertSorted(queue: number[], at: number, from: number): void {
  let lo = from;
  let hi = queue.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (queue[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  if (queue[lo] !== at) queue.splice(lo, 0, at);
}
