import type { RuleCode } from '../model/reason-codes';
import {
  mergeThresholds,
  mergeValue,
  type RuleSet,
  type ServiceArea,
  type Thresholds,
  type ValueOverrides,
} from './rule-set.schema';

/** A rule set as it applies to one dealer: overrides merged, lookups ready. Plain data. */
export interface EffectiveRules {
  readonly ruleSetId: string;
  readonly version: string;
  readonly thresholds: Thresholds;
  /** Service interval by machine model (dealer entries win). */
  readonly perModel: Readonly<Record<string, { serviceIntervalHours: number }>>;
  /** Service area by branch id (dealer entries win). */
  readonly serviceAreas: Readonly<Record<string, ServiceArea>>;
  readonly disabled: readonly RuleCode[];
  /** How its decisions are valued: the document's `value`, then the dealer's, over the pipeline's defaults. */
  readonly value: ValueOverrides;
}

/** Resolved rules per rule-set document and dealer: documents are immutable data once parsed. */
const resolved = new WeakMap<RuleSet, Map<string, EffectiveRules>>();

/**
 * Applies `perDealer[dealerId]` over the base rule set. Memoised per document and dealer (a sweep evaluates
 * a customer at many instants): a rule-set object must not be changed after its first use.
 */
export function resolveRules(ruleSet: RuleSet, dealerId: string): EffectiveRules {
  let byDealer = resolved.get(ruleSet);
  if (byDealer === undefined) resolved.set(ruleSet, (byDealer = new Map<string, EffectiveRules>()));
  let rules = byDealer.get(dealerId);
  if (rules === undefined) byDealer.set(dealerId, (rules = resolve(ruleSet, dealerId)));
  return rules;
}

function resolve(ruleSet: RuleSet, dealerId: string): EffectiveRules {
  const dealer = Object.prototype.hasOwnProperty.call(ruleSet.perDealer ?? {}, dealerId)
    ? ruleSet.perDealer?.[dealerId]
    : undefined;
  return {
    ruleSetId: ruleSet.id,
    version: ruleSet.version,
    thresholds: mergeThresholds(ruleSet.thresholds, dealer?.thresholds),
    perModel: { ...ruleSet.perModel, ...dealer?.perModel },
    serviceAreas: { ...ruleSet.serviceAreas, ...dealer?.serviceAreas },
    disabled: [...new Set([...(ruleSet.disabled ?? []), ...(dealer?.disabled ?? [])])],
    value: mergeValue(ruleSet.value ?? {}, dealer?.value),
  };
}

/** The service interval of a model: perModel entry, else the default. */
export function serviceIntervalHours(rules: EffectiveRules, model: string | undefined): number {
  const entry =
    model !== undefined && Object.prototype.hasOwnProperty.call(rules.perModel, model)
      ? rules.perModel[model]
      : undefined;
  return entry?.serviceIntervalHours ?? rules.thresholds.service.intervalHours;
}

/** The configured service area of a branch, if any. */
export function serviceAreaOf(rules: EffectiveRules, branchId: string): ServiceArea | undefined {
  return Object.prototype.hasOwnProperty.call(rules.serviceAreas, branchId)
    ? rules.serviceAreas[branchId]
    : undefined;
}
