import type { AliveEstimate, Purchase as RiskPurchase } from '@rp/risk';
import { fitModel, pAlive, summarisePurchases, type BgNbdModel, type BgNbdParams } from '@rp/value';
import { iso, type Executor } from '../projections/sql';

const DAY = 86_400_000;
/** Fewer customers with purchases than this and no model is fitted (P(alive) stays unknown). */
const MIN_CUSTOMERS = 20;
/** Instants before asOf at which P(alive) is given to the rules (drop within 90 days). */
const HISTORY_OFFSETS_DAYS = [90, 60, 30, 0];

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

/** P(alive) of one customer at asOf and at 30/60/90 days before, from their own purchase days. */
export function aliveHistory(
  params: BgNbdParams,
  customerId: string,
  purchases: readonly RiskPurchase[],
  asOfMs: number,
): AliveEstimate[] {
  const out: AliveEstimate[] = [];
  for (const days of HISTORY_OFFSETS_DAYS) {
    const at = asOfMs - days * DAY;
    const [rfm] = summarisePurchases(
      purchases.filter((p) => p.at <= at).map((p) => ({ customerId, at: p.at })),
      at,
      'week',
    );
    if (rfm) out.push({ at, p: Math.round(pAlive(params, rfm) * 10_000) / 10_000 });
  }
  return out;
}

/**
 * One dealer's monthly models, fitted or read once each, and the customer state as the rules see it at an
 * instant: with P(alive) from the model of that instant's month (unchanged while no model can be fitted).
 */
export class AliveModels {
  private readonly models = new Map<number, BgNbdModel | null>();

  constructor(
    private readonly db: Executor,
    private readonly dealerId: string,
  ) {}

  async customerAt<C extends { purchases: readonly RiskPurchase[] }>(
    customer: C,
    customerId: string,
    atMs: number,
  ): Promise<C & { pAlive?: AliveEstimate[] }> {
    const month = modelCutoff(atMs);
    if (!this.models.has(month)) this.models.set(month, await aliveModelFor(this.db, this.dealerId, atMs));
    const model = this.models.get(month);
    return model
      ? { ...customer, pAlive: aliveHistory(model.params, customerId, customer.purchases, atMs) }
      : customer;
  }
}
