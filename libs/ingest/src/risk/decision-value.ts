import type { CustomerState, Decision, ReasonFamily } from '@rp/risk';
import { clv, priority, trailingMargin, valueAtRisk, type MarginLine } from '@rp/value';

export interface ValueSettings {
  /** Gross-margin rates used when an event carries no grossProfit. */
  marginRates: { parts: number; labour: number };
  /** Retention probability when no BG/NBD estimate exists for the customer yet. */
  defaultRetention: number;
  /** Expected yearly margin of a machine whose owner has no purchase history at the dealer. */
  baselineMarginPerMachine: number;
  discountRate: number;
  reasonWeights: Record<ReasonFamily, number>;
}

export const DEFAULT_VALUE_SETTINGS: ValueSettings = {
  marginRates: { parts: 0.25, labour: 0.6 },
  defaultRetention: 0.7,
  baselineMarginPerMachine: 1000,
  discountRate: 0.1,
  reasonWeights: { coverage: 1, lapse: 1.2, experience: 1.5, technical: 1 },
};

export interface DecisionValue {
  clv: number;
  pLapse: number;
  valueAtRisk: number;
  priority: number;
}

const DAY = 86_400_000;

/** PRODUCT.md "Value and priority", as of the decision's detection instant (pure). */
export function valueDecision(
  d: Decision,
  customer: CustomerState,
  machines: number,
  s: ValueSettings,
): DecisionValue {
  const lines: MarginLine[] = customer.purchases.map((p) => ({
    at: p.at,
    amount: p.amount,
    kind: p.kind === 'parts' ? 'parts' : 'labour',
  }));
  const margin = trailingMargin(lines, d.detectedAtMs, s.marginRates);
  const margin12m = margin > 0 ? margin : s.baselineMarginPerMachine * Math.max(1, machines);
  const alive = [...customer.pAlive]
    .filter((p) => p.at <= d.detectedAtMs)
    .sort((a, b) => a.at - b.at)
    .pop();
  const retention = Math.min(0.99, alive?.p ?? s.defaultRetention);
  const customerClv = clv({ margin12m, retention, discountRate: s.discountRate });
  const pLapse = 1 - retention;
  const atRisk = valueAtRisk(pLapse, customerClv);
  const endsAt = d.urgency.warrantyEndsAtMs;
  const warrantyEndsWithinDays =
    endsAt === undefined ? undefined : Math.floor((endsAt - d.detectedAtMs) / DAY);
  const p = priority({
    valueAtRisk: atRisk,
    reasonWeight: s.reasonWeights[d.family],
    warrantyEndsWithinDays,
  });
  const round = (x: number) => Math.round(x * 100) / 100;
  return { clv: round(customerClv), pLapse: round(pLapse), valueAtRisk: round(atRisk), priority: round(p) };
}
