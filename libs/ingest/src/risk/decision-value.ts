import {
  coverageEndAt,
  machineAsOf,
  ownedBy,
  type CustomerState,
  type Decision,
  type MachineState,
  type EffectiveRules,
  type Purchase,
  type ReasonFamily,
} from '@rp/risk';
import {
  clv,
  DEFAULT_MARGIN_RATES,
  priority,
  trailingMargin,
  urgency,
  valueAtRisk,
  type MarginLine,
} from '@rp/value';

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
  marginRates: { ...DEFAULT_MARGIN_RATES },
  defaultRetention: 0.7,
  baselineMarginPerMachine: 1000,
  discountRate: 0.1,
  reasonWeights: { coverage: 1, lapse: 1.2, experience: 1.5, technical: 1 },
};

const settingsByRules = new WeakMap<EffectiveRules, { base: ValueSettings; settings: ValueSettings }>();

/**
 * The value settings of a dealer's rules: the rule set's `value` (document, then dealer) over `base` (the
 * pipeline's defaults). Memoised per resolved rules (a sweep values thousands of decisions).
 */
export function valueSettingsOf(rules: EffectiveRules, base: ValueSettings): ValueSettings {
  const known = settingsByRules.get(rules);
  if (known !== undefined && known.base === base) return known.settings;
  const v = rules.value;
  const settings: ValueSettings = {
    marginRates: { ...base.marginRates, ...v.marginRates },
    defaultRetention: v.defaultRetention ?? base.defaultRetention,
    baselineMarginPerMachine: v.baselineMarginPerMachine ?? base.baselineMarginPerMachine,
    discountRate: v.discountRate ?? base.discountRate,
    reasonWeights: { ...base.reasonWeights, ...v.reasonWeights },
  };
  settingsByRules.set(rules, { base, settings });
  return settings;
}

export interface DecisionValue {
  clv: number;
  pLapse: number;
  /**
   * The customer's BG/NBD P(alive) as of the detection, unrounded (segments compare it with 0.7); null
   * without a model estimate (no model, or no repeat purchase yet): pLapse then comes from the configured
   * default retention, which is no P(alive).
   */
  pAlive: number | null;
  valueAtRisk: number;
  /** valueAtRisk × reason weight × urgencyFactor. */
  priority: number;
  /**
   * The urgency the priority counts (PRODUCT: ×2 when a warranty ends within 30 days): 2 when the nearest end
   * below was within the window at detection, else 1. The task layer doubles a factor-1 priority only once that
   * end comes near (followups pendingWarrantyEndMs), never a factor-2 one again.
   */
  urgencyFactor: 1 | 2;
  /**
   * The nearest end valuing weighed, not before detection: the decision's own warranty end or the nearest
   * coverage end of the customer's fleet, whichever is first; absent when neither exists.
   */
  urgencyEndsAtMs?: number;
}

const DAY = 86_400_000;
/**
 * Largest trailing margin taken as is: far beyond a real customer's (the contract bounds each amount to
 * 1e12), and small enough that CLV, value at risk and priority stay finite numbers.
 */
const MAX_MARGIN = 1e300;

/** What a decision's value needs of the customer's fleet as of an instant. */
export interface FleetFacts {
  /** Machines owned and not sold (the baseline margin of a customer without purchases). */
  size: number;
  /** The nearest end of a machine's coverage (standard warranty, or a cover running past it) not before then. */
  coverageEndsAtMs?: number;
}

/**
 * The fleet facts as of `atMs`. Urgency follows the end of a machine's coverage, not of each term: a
 * standard warranty followed by an extended one leaves the customer covered, so its end is not the moment
 * the customer may leave.
 */
export function fleetFactsAt(machines: readonly MachineState[], atMs: number): FleetFacts {
  let size = 0;
  let nearest: number | undefined;
  for (const m of machines) {
    if (!ownedBy(m, atMs) || (m.sold !== undefined && m.sold.at <= atMs)) continue;
    size++;
    const end = coverageEndAt(machineAsOf(m, atMs));
    if (end !== null && end >= atMs && (nearest === undefined || end < nearest)) nearest = end;
  }
  return nearest === undefined ? { size } : { size, coverageEndsAtMs: nearest };
}

/**
 * Margin lines of a purchase: its grossProfit as one line when the DMS sent it; else a parts sale at the
 * parts rate, and a work order split into its labour and its parts at their own rates.
 */
function marginLines(p: Purchase): MarginLine[] {
  if (p.grossProfit !== undefined)
    return [{ at: p.at, amount: p.amount, kind: 'parts', grossProfit: p.grossProfit }];
  if (p.kind === 'parts') return [{ at: p.at, amount: p.amount, kind: 'parts' }];
  const labour = Math.min(p.labourAmount ?? p.amount, p.amount);
  return [
    { at: p.at, amount: labour, kind: 'labour' },
    { at: p.at, amount: p.amount - labour, kind: 'parts' },
  ];
}

/** PRODUCT.md "Value and priority", as of the decision's detection instant (pure). */
export function valueDecision(
  d: Decision,
  customer: CustomerState,
  fleet: FleetFacts,
  s: ValueSettings,
): DecisionValue {
  const margin = trailingMargin(customer.purchases.flatMap(marginLines), d.detectedAtMs, s.marginRates);
  // A margin that says nothing usable (none, negative, or beyond any number: amounts out of the contract's
  // bounds summed to Infinity) counts as missing: the baseline, never a round that fails for good.
  const usable = margin > 0 && Number.isFinite(margin) && margin <= MAX_MARGIN;
  const margin12m = usable ? margin : s.baselineMarginPerMachine * Math.max(1, fleet.size);
  const alive = [...customer.pAlive]
    .filter((p) => p.at <= d.detectedAtMs)
    .sort((a, b) => a.at - b.at)
    .pop();
  // No repeat purchase yet: the model's 1 says nothing about retention (PRODUCT.md defines it for x > 0).
  const modelled = alive !== undefined && alive.repeats !== 0 ? alive.p : undefined;
  const retention = Math.min(0.99, modelled ?? s.defaultRetention);
  const customerClv = clv({ margin12m, retention, discountRate: s.discountRate });
  const pLapse = 1 - retention;
  const atRisk = valueAtRisk(pLapse, customerClv);
  const ends = [d.urgency.warrantyEndsAtMs, fleet.coverageEndsAtMs].filter(
    (t): t is number => t !== undefined && t >= d.detectedAtMs,
  );
  const nearest = ends.length === 0 ? undefined : Math.min(...ends);
  const warrantyEndsWithinDays =
    nearest === undefined ? undefined : Math.floor((nearest - d.detectedAtMs) / DAY);
  const p = priority({
    valueAtRisk: atRisk,
    reasonWeight: s.reasonWeights[d.family],
    warrantyEndsWithinDays,
  });
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    clv: round(customerClv),
    pLapse: round(pLapse),
    pAlive: modelled ?? null,
    valueAtRisk: round(atRisk),
    priority: round(p),
    urgencyFactor: urgency(warrantyEndsWithinDays) === 2 ? 2 : 1,
    ...(nearest === undefined ? {} : { urgencyEndsAtMs: nearest }),
  };
}
