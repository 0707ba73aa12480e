import type { ReasonCode, ReasonFamily, SuppressionCode } from './reason-codes';

/** Hints the follow-up layer turns into priority and due dates. */
export interface UrgencyHints {
  /** When the (standard) warranty ends or ended; priority doubles within 30 days of it. */
  readonly warrantyEndsAtMs?: number;
  /** When an absence rule became due (the timer instant). */
  readonly dueSinceMs?: number;
  /** Respond before this instant (e.g. detractor: survey + 48 h). */
  readonly respondByMs?: number;
}

/** One churn-risk reason raised for a customer (and machine) as of an instant. */
export interface Decision {
  /** sha256 hex of `dealerId|customerId|serial|reasonCode|ruleVersion|episode`. */
  readonly id: string;
  readonly dealerId: string;
  readonly customerId: string;
  /** null for customer-level reasons. */
  readonly serialNumber: string | null;
  readonly reasonCode: ReasonCode;
  readonly family: ReasonFamily;
  /** The task sentence. */
  readonly message: string;
  /** Events that prove the reason, most relevant first. */
  readonly evidenceEventIds: readonly string[];
  /** `<ruleSet.id>:<reasonCode>`. */
  readonly ruleId: string;
  readonly ruleVersion: string;
  /** The as-of instant of the evaluation (event time, never wall time). */
  readonly detectedAtMs: number;
  /** Stable identifier of the episode (e.g. `ended:2026-03-01`); part of the id, never the as-of. */
  readonly episode: string;
  readonly urgency: UrgencyHints;
}

/** A machine excluded from machine-level reasons, recorded so data teams can see why. */
export interface Suppression {
  /** sha256 hex of `dealerId|customerId|serial|reasonCode|ruleVersion|episode`. */
  readonly id: string;
  readonly dealerId: string;
  readonly customerId: string;
  readonly serialNumber: string;
  readonly reasonCode: SuppressionCode;
  readonly message: string;
  readonly evidenceEventIds: readonly string[];
  readonly ruleId: string;
  readonly ruleVersion: string;
  readonly detectedAtMs: number;
  /** Since when the condition holds (sale, last meter increase, first fix outside, last snapshot). */
  readonly sinceMs: number;
  readonly episode: string;
}

/** What a detector returns: decisions now, and when an absence rule will next be due (else null). */
export interface DetectorResult {
  readonly decisions: readonly Decision[];
  /** Earliest instant > asOf at which the result can change without a new event; persist as a timer. */
  readonly nextCheckAtMs: number | null;
}

/** What a suppressor returns. */
export interface SuppressorResult {
  readonly suppression: Suppression | null;
  readonly nextCheckAtMs: number | null;
}
