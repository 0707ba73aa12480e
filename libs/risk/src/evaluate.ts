import { CUSTOMER_DETECTORS, MACHINE_DETECTORS } from './detectors';
import { RiskInputError } from './errors';
import type { CustomerState } from './model/customer-state';
import type { Decision, Suppression } from './model/decision';
import type { MachineState } from './model/machine-state';
import { REASON_CODES, SUPPRESSION_CODES } from './model/reason-codes';
import { resolveRules, type EffectiveRules } from './rules/resolve-rules';
import type { RuleSet } from './rules/rule-set.schema';
import { customerAsOf, machineAsOf, ownedBy } from './support/as-of';
import { earlierAfter } from './support/time';
import { SUPPRESSORS } from './suppressors';

export interface Evaluation {
  /** Sorted: customer-level first, then by serial, reason code (PRODUCT.md order), episode. */
  readonly decisions: readonly Decision[];
  /** Sorted by serial, then suppressor order. */
  readonly suppressions: readonly Suppression[];
  /** Earliest instant > asOf at which re-evaluating may change the output without a new event; else null. */
  readonly nextCheckAtMs: number | null;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function checkInput(machines: readonly MachineState[], customer: CustomerState, asOfMs: number): void {
  if (!Number.isSafeInteger(asOfMs))
    throw new RiskInputError(`asOfMs must be an integer epoch ms, got ${asOfMs}`);
  const seen = new Set<string>();
  for (const m of machines) {
    if (m.dealerId !== customer.dealerId || m.customerId !== customer.customerId) {
      throw new RiskInputError(
        `machine ${m.serialNumber} belongs to ${m.dealerId}/${m.customerId}, not ${customer.dealerId}/${customer.customerId}`,
      );
    }
    if (seen.has(m.serialNumber)) throw new RiskInputError(`machine ${m.serialNumber} given twice`);
    seen.add(m.serialNumber);
  }
}

/** The rules a dealer's evaluations run: resolved once per effective rule set (a sweep evaluates thousands). */
interface EnabledRules {
  suppressors: typeof SUPPRESSORS;
  machineDetectors: typeof MACHINE_DETECTORS;
  customerDetectors: typeof CUSTOMER_DETECTORS;
}

const enabledByRules = new WeakMap<EffectiveRules, EnabledRules>();

function enabledRules(rules: EffectiveRules): EnabledRules {
  let found = enabledByRules.get(rules);
  if (found === undefined) {
    const enabled = (x: { code: string }) => !rules.disabled.some((d) => d === x.code);
    found = {
      suppressors: SUPPRESSORS.filter(enabled),
      machineDetectors: MACHINE_DETECTORS.filter(enabled),
      customerDetectors: CUSTOMER_DETECTORS.filter(enabled),
    };
    enabledByRules.set(rules, found);
  }
  return found;
}

const reasonRank = new Map<string, number>(REASON_CODES.map((code, i) => [code, i]));
const suppressionRank = new Map<string, number>(SUPPRESSION_CODES.map((code, i) => [code, i]));

const byDecisionOrder = (a: Decision, b: Decision): number =>
  cmp(a.serialNumber ?? '', b.serialNumber ?? '') ||
  (reasonRank.get(a.reasonCode) ?? 0) - (reasonRank.get(b.reasonCode) ?? 0) ||
  cmp(a.episode, b.episode) ||
  cmp(a.id, b.id);

const bySuppressionOrder = (a: Suppression, b: Suppression): number =>
  cmp(a.serialNumber, b.serialNumber) ||
  (suppressionRank.get(a.reasonCode) ?? 0) - (suppressionRank.get(b.reasonCode) ?? 0);

/**
 * Runs every enabled rule for one customer and their machines as of `asOfMs` (event time). A machine not yet
 * theirs then (`ownedSince` later) is left out; a suppressed machine gets no machine-level decision;
 * customer-level rules always run. Same input, same output.
 */
export function evaluate(
  machineStates: readonly MachineState[],
  customerState: CustomerState,
  asOfMs: number,
  ruleSet: RuleSet,
): Evaluation {
  checkInput(machineStates, customerState, asOfMs);
  const rules = resolveRules(ruleSet, customerState.dealerId);
  const { suppressors, machineDetectors, customerDetectors } = enabledRules(rules);
  const machines: MachineState[] = [];
  for (const m of machineStates) if (ownedBy(m, asOfMs)) machines.push(machineAsOf(m, asOfMs));
  machines.sort((a, b) => cmp(a.serialNumber, b.serialNumber));
  const customer = customerAsOf(customerState, asOfMs);
  const decisions: Decision[] = [];
  const suppressions: Suppression[] = [];
  let next: number | null = null;

  for (const m of machines) {
    let suppressed = false;
    for (const s of suppressors) {
      const result = s.check(m, asOfMs, rules);
      next = earlierAfter(asOfMs, next, result.nextCheckAtMs);
      if (result.suppression === null) continue;
      suppressions.push(result.suppression);
      suppressed = true;
      if (result.suppression.reasonCode === 'MACHINE_SOLD') break;
    }
    if (suppressed) continue;
    for (const d of machineDetectors) {
      const result = d.detect(m, asOfMs, rules);
      for (const x of result.decisions) decisions.push(x);
      next = earlierAfter(asOfMs, next, result.nextCheckAtMs);
    }
  }
  for (const d of customerDetectors) {
    const result = d.detect({ customer, machines }, asOfMs, rules);
    for (const x of result.decisions) decisions.push(x);
    next = earlierAfter(asOfMs, next, result.nextCheckAtMs);
  }

  if (decisions.length > 1) decisions.sort(byDecisionOrder);
  if (suppressions.length > 1) suppressions.sort(bySuppressionOrder);
  return { decisions, suppressions, nextCheckAtMs: next };
}
