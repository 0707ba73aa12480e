import { weekStart, WEEK_MS, type AliveEstimate, type Purchase as RiskPurchase } from '@rp/risk';
import { fitModel, pAlive, summarisePurchases, type BgNbdModel, type BgNbdParams } from '@rp/value';
import { iso, type Executor } from '../projections/sql';

/** Fewer customers with purchases than this and no model is fitted (P(alive) stays unknown). */
const MIN_CUSTOMERS = 20;

/** The monthly refit schedule runs in event time: the model used at t is fitted as of t's month start. */
export const modelCutoff = (atMs: number): number => {
  const d = new Date(atMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};

/**
 * The dealer's BG/NBD model for the month of `atMs`: read from `value_models`, or fitted on the purchase
 * history before the cut-off (parts sales and closed work orders) and stored with its version. Same
 * events ⇒ same parameters, live or replayed. Null when the history is too thin to fit.
 */
export async function aliveModelFor(
  db: Executor,
  dealerId: string,
  atMs: number,
): Promise<BgNbdModel | null> {
  const cutoff = modelCutoff(atMs);
  const found = await db.query<{ version: string; params: BgNbdParams; customers: number }[]>(
    'SELECT version, params, customers FROM value_models WHERE dealer_id = $1 AND fitted_as_of = $2',
    [dealerId, iso(cutoff)],
  );
  if (found.length) return { dealerId, fittedAsOf: iso(cutoff)!, ...found[0] };
  return fitAndStore(db, dealerId, cutoff);
}

async function fitAndStore(db: Executor, dealerId: string, cutoff: number): Promise<BgNbdModel | null> {
  // In a fixed order: the fit sums floating-point terms, so the same purchases in another order would give
  // slightly different parameters (and a replay could decide differently from live).
  const purchases = await db.query<{ customer_id: string; at: string }[]>(
    `SELECT customer_id, (extract(epoch FROM sold_at) * 1000)::bigint AS at FROM parts_sales
      WHERE dealer_id = $1 AND sold_at < $2
     UNION ALL
     SELECT customer_id, (extract(epoch FROM closed_at) * 1000)::bigint FROM work_orders
      WHERE dealer_id = $1 AND closed_at < $2
     ORDER BY 1, 2`,
    [dealerId, iso(cutoff)],
  );
  const history = purchases.map((p) => ({ customerId: p.customer_id, at: Number(p.at) }));
  if (new Set(history.map((p) => p.customerId)).size < MIN_CUSTOMERS) return null;
  const model = fitModel(dealerId, history, cutoff);
  await db.query(
    `INSERT INTO value_models (dealer_id, fitted_as_of, version, params, customers) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING`,
    [dealerId, iso(cutoff), model.version, JSON.stringify(model.params), model.customers],
  );
  return model;
}

/** A purchase as P(alive) sees it: its instant. */
type Bought = { readonly at: number };

/**
 * One customer's P(alive) at a grid instant, from their own purchase days up to it, with the repeat purchases
 * behind it; null before any purchase.
 */
function estimateAt(
  params: BgNbdParams,
  customerId: string,
  purchases: readonly Bought[],
  atMs: number,
): { p: number; repeats: number } | null {
  const [rfm] = summarisePurchases(
    purchases.map((p) => ({ customerId, at: p.at })),
    atMs,
    'week',
  );
  return rfm ? { p: Math.round(pAlive(params, rfm) * 10_000) / 10_000, repeats: rfm.x } : null;
}

/** Week starts from the first one at or after `fromMs` up to `toMs`, ascending. */
export function gridBetween(fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  const first = weekStart(fromMs) === fromMs ? fromMs : weekStart(fromMs) + WEEK_MS;
  for (let g = first; g <= toMs; g += WEEK_MS) out.push(g);
  return out;
}

/** The week starts from the customer's first purchase up to `asOfMs` (none before any purchase). */
function weeksOf(purchases: readonly Bought[], asOfMs: number): number[] {
  const first = purchases.reduce((min, p) => Math.min(min, p.at), Infinity);
  return Number.isFinite(first) ? gridBetween(first, asOfMs) : [];
}

/**
 * P(alive) of one customer on the weekly grid (`weekStart` of @rp/risk), from their first purchase up to
 * `asOfMs`: each estimate with the model of its own month (`modelAt`, the one the pipeline used then) on the
 * purchases up to it. Every estimate is a function of its week alone, never of the instant of evaluation;
 * weeks without a model have none. `known` (week → estimate) spares recomputing weeks across calls.
 */
export function aliveHistory(
  modelAt: (atMs: number) => BgNbdParams | null,
  customerId: string,
  purchases: readonly Bought[],
  asOfMs: number,
  known: Map<number, AliveEstimate | null> = new Map(),
): AliveEstimate[] {
  const out: AliveEstimate[] = [];
  for (const at of weeksOf(purchases, asOfMs)) {
    let e = known.get(at);
    if (e === undefined) {
      const params = modelAt(at);
      const p = params && estimateAt(params, customerId, purchases, at);
      known.set(at, (e = p === null ? null : { at, ...p }));
    }
    if (e !== null) out.push(e);
  }
  return out;
}

/**
 * One dealer's monthly models, read once (all stored ones in one query) or fitted, and the customer state as
 * the rules see it at an instant: with the weekly P(alive) estimates up to it (none while no model can be
 * fitted). Estimates are kept per customer and week, so evaluating a customer at many instants computes each
 * week once.
 */
export class AliveModels {
  private readonly models = new Map<number, BgNbdModel | null>();
  private stored?: Promise<void>;
  private readonly estimates = new WeakMap<readonly RiskPurchase[], Map<number, AliveEstimate | null>>();
  /** Per purchase list: the whole history P(alive) reads (earlier purchase days, then the list). */
  private readonly histories = new WeakMap<readonly RiskPurchase[], readonly Bought[]>();
  /** The last view given per customer state, and its week: every instant of that week gets the same one. */
  private readonly lastView = new WeakMap<object, { week: number; view: { pAlive: AliveEstimate[] } }>();

  constructor(
    private readonly db: Executor,
    private readonly dealerId: string,
  ) {}

  /**
   * `earlierPurchaseDays`: the customer's purchase days before `customer.purchases` begins (see
   * CustomerRiskState): P(alive) is estimated on the whole history, however much of it the rules loaded.
   */
  async customerAt<C extends { purchases: readonly RiskPurchase[] }>(
    customer: C,
    customerId: string,
    atMs: number,
    earlierPurchaseDays: readonly number[] = [],
  ): Promise<C & { pAlive: AliveEstimate[] }> {
    // The estimates up to an instant change only at week starts: within a week, the same view (a sweep
    // evaluates a customer daily), so what the rules memoise per list serves the whole week.
    const week = weekStart(atMs);
    const last = this.lastView.get(customer);
    if (last !== undefined && last.week === week) return last.view as C & { pAlive: AliveEstimate[] };
    let known = this.estimates.get(customer.purchases);
    if (known === undefined) {
      known = new Map<number, AliveEstimate | null>();
      this.estimates.set(customer.purchases, known);
    }
    let history = this.histories.get(customer.purchases);
    if (history === undefined) {
      history = [...earlierPurchaseDays.map((at) => ({ at })), ...customer.purchases];
      this.histories.set(customer.purchases, history);
    }
    // Weeks estimated at an earlier instant need no model: only the new ones are looked at.
    const weeks = weeksOf(history, atMs);
    await this.loadModels(weeks.filter((w) => !known.has(w)));
    const modelAt = (at: number) => this.models.get(modelCutoff(at))?.params ?? null;
    const view = { ...customer, pAlive: aliveHistory(modelAt, customerId, history, atMs, known) };
    this.lastView.set(customer, { week, view });
    return view;
  }

  /** The models of the months of `weeks`: every stored one at the first call, the missing ones fitted. */
  private async loadModels(weeks: readonly number[]): Promise<void> {
    this.stored ??= this.readStored();
    await this.stored;
    for (const cutoff of new Set(weeks.map(modelCutoff))) {
      if (!this.models.has(cutoff))
        this.models.set(cutoff, await fitAndStore(this.db, this.dealerId, cutoff));
    }
  }

  private async readStored(): Promise<void> {
    const rows = await this.db.query<
      { fitted_as_of: Date; version: string; params: BgNbdParams; customers: number }[]
    >('SELECT fitted_as_of, version, params, customers FROM value_models WHERE dealer_id = $1', [
      this.dealerId,
    ]);
    for (const r of rows) {
      const cutoff = new Date(r.fitted_as_of).getTime();
      const { version, params, customers } = r;
      this.models.set(cutoff, {
        dealerId: this.dealerId,
        fittedAsOf: iso(cutoff)!,
        version,
        params,
        customers,
      });
    }
  }
}
