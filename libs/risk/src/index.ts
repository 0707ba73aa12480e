// @rp/risk — the pure churn-risk domain: plain state in, decisions out. No Nest, no I/O, no clock.
export { evaluate, type Evaluation } from './evaluate';
export { RuleSetError, RiskInputError } from './errors';
export {
  REASON_CODES,
  SUPPRESSION_CODES,
  RULE_CODES,
  REASON_FAMILIES,
  REASON_FAMILY,
  type ReasonCode,
  type SuppressionCode,
  type RuleCode,
  type ReasonFamily,
} from './model/reason-codes';
export type {
  EventStamp,
  MeterReading,
  LocationFix,
  ActiveFault,
  WarrantyTerm,
  Cover,
  WorkOrder,
  MachineSale,
  MachineState,
} from './model/machine-state';
export type {
  Purchase,
  Complaint,
  SurveyResponse,
  AliveEstimate,
  FleetHoursDay,
  CustomerState,
} from './model/customer-state';
export type { Decision, Suppression, UrgencyHints, DetectorResult, SuppressorResult } from './model/decision';
export type {
  CustomerContext,
  MachineDetector,
  CustomerDetector,
  Suppressor,
  MachineDetectorEntry,
  CustomerDetectorEntry,
  SuppressorEntry,
} from './model/detector';
export {
  ruleSetSchema,
  MAX_WINDOW_DAYS,
  type RuleSet,
  type Thresholds,
  type ThresholdOverrides,
  type ValueOverrides,
  type ServiceArea,
} from './rules/rule-set.schema';
export { DEFAULT_RULE_SET } from './rules/default-rule-set';
export { parseRuleSet } from './rules/parse-rule-set';
export { resolveRules, serviceIntervalHours, type EffectiveRules } from './rules/resolve-rules';
export * from './detectors';
export * from './suppressors';
export { machineAsOf, customerAsOf, ownedBy, fleetSizeAt } from './support/as-of';
export { coverageEndAt } from './support/coverage';
export { weekStart, WEEK_MS } from './support/time';
export { postWarrantyDueAt } from './detectors/post-warranty-no-service';
