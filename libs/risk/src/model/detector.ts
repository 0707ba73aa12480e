import type { EffectiveRules } from '../rules/resolve-rules';
import type { CustomerState } from './customer-state';
import type { DetectorResult, SuppressorResult } from './decision';
import type { MachineState } from './machine-state';
import type { ReasonCode, SuppressionCode } from './reason-codes';

/** A customer with all of their machines (including sold ones). */
export interface CustomerContext {
  readonly customer: CustomerState;
  readonly machines: readonly MachineState[];
}

export type MachineDetector = (
  machine: MachineState,
  asOfMs: number,
  rules: EffectiveRules,
) => DetectorResult;
export type CustomerDetector = (
  ctx: CustomerContext,
  asOfMs: number,
  rules: EffectiveRules,
) => DetectorResult;
export type Suppressor = (machine: MachineState, asOfMs: number, rules: EffectiveRules) => SuppressorResult;

export interface MachineDetectorEntry {
  readonly code: ReasonCode;
  readonly detect: MachineDetector;
}
export interface CustomerDetectorEntry {
  readonly code: ReasonCode;
  readonly detect: CustomerDetector;
}
export interface SuppressorEntry {
  readonly code: SuppressionCode;
  readonly check: Suppressor;
}
