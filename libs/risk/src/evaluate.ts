import { CUSTOMER_DETECTORS, MACHINE_DETECTORS } from './detectors';
import { RiskInputError } from './errors';
import type { CustomerState } from './model/customer-state';
import type { Decision, Suppression } from './model/decision';
import type { MachineState } from './model/machine-state';
import { REASON_CODES, SUPPRESSION_CODES } from './model/reason-codes';
import { resolveRules } from './rules/resolve-rules';
import type { RuleSet } from './rules/rule-set.schema';
import { customerAsOf, machineAsOf, ownedBy } from './support/as-of';
import { nextAfter } from './support/time';
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
  const enabled = (x: { code: string }) => !rules.disabled.some((d) => d === x.code);
  const suppressors = SUPPRESSORS.filter(enabled);
  const machineDetectors = MACHINE_DETECTORS.filter(enabled);
  const machines = machineStates
    .filter((m) => ownedBy(m, asOfMs))
    .map((m) => machineAsOf(m, asOfMs))
    .sort((a, b) => cmp(a.serialNumber, b.serialNumber));
  const customer = customerAsOf(customerState, asOfMs);
  const decisions: Decision[] = [];
  const suppressions: Suppression[] = [];
  const timers: (number | null)[] = [];

  for (const m of machines) {
    const found: Suppression[] = [];
    for (const s of suppressors) {
      const result = s.check(m, asOfMs, rules);
      if (result.suppression !== null) found.push(result.suppression);
      timers.push(result.nextCheckAtMs);
      if (result.suppression?.reasonCode === 'MACHINE_SOLD') break;
    }
    suppressions.push(...found);
    if (found.length > 0) continue;
    for (const d of machineDetectors) {
      const result = d.detect(m, asOfMs, rules);
      decisions.push(...result.decisions);
      timers.push(result.nextCheckAtMs);
    }
  }
  for (const d of CUSTOMER_DETECTORS.filter(enabled)) {
    const result = d.detect({ customer, machines }, asOfMs, rules);
    decisions.push(...result.decisions);
    timers.push(result.nextCheckAtMs);
  }

  decisions.sort(
    (a, b) =>
      cmp(a.serialNumber ?? '', b.serialNumber ?? '') ||
      REASON_CODES.indexOf(a.reasonCode) - REASON_CODES.indexOf(b.reasonCode) ||
      cmp(a.episode, b.episode) ||
      cmp(a.id, b.id),
  );
  suppressions.sort(
    (a, b) =>
      cmp(a.serialNumber, b.serialNumber) ||
      SUPPRESSION_CODES.indexOf(a.reasonCode) - SUPPRESSION_CODES.indexOf(b.reasonCode),
  );
  return { decisions, suppressions, nextCheckAtMs: nextAfter(asOfMs, ...timers) };
}
