/** Churn-risk reason codes of PRODUCT.md, in the order of its table (also the output order). */
export const REASON_CODES = Object.freeze([
  'WARRANTY_ENDING_UNCOVERED',
  'POST_WARRANTY_NO_SERVICE',
  'MAINTENANCE_OVERDUE',
  'ACTIVE_BUT_SILENT',
  'PURCHASE_GAP',
  'ALIVE_PROBABILITY_DROP',
  'SPEND_EROSION',
  'SELF_MAINTENANCE_SHIFT',
  'DETRACTOR',
  'BAD_SERVICE_EXPERIENCE',
  'FAULT_WITHOUT_VISIT',
] as const);
export type ReasonCode = (typeof REASON_CODES)[number];

/** Suppressor codes: a machine with one of these gets no machine-level decision. */
export const SUPPRESSION_CODES = Object.freeze([
  'MACHINE_SOLD',
  'MACHINE_PARKED',
  'MACHINE_RELOCATED',
  'NOT_REPORTING',
] as const);
export type SuppressionCode = (typeof SUPPRESSION_CODES)[number];

/** Any rule of a rule set: a detector or a suppressor. */
export type RuleCode = ReasonCode | SuppressionCode;
export const RULE_CODES: readonly RuleCode[] = Object.freeze([...REASON_CODES, ...SUPPRESSION_CODES]);

export const REASON_FAMILIES = Object.freeze(['coverage', 'lapse', 'experience', 'technical'] as const);
export type ReasonFamily = (typeof REASON_FAMILIES)[number];

/** Follow-up reason family of each code (PRODUCT.md "Follow-up tasks"). */
export const REASON_FAMILY: Readonly<Record<ReasonCode, ReasonFamily>> = Object.freeze({
  WARRANTY_ENDING_UNCOVERED: 'coverage',
  POST_WARRANTY_NO_SERVICE: 'lapse',
  MAINTENANCE_OVERDUE: 'lapse',
  ACTIVE_BUT_SILENT: 'lapse',
  PURCHASE_GAP: 'lapse',
  ALIVE_PROBABILITY_DROP: 'lapse',
  SPEND_EROSION: 'lapse',
  SELF_MAINTENANCE_SHIFT: 'lapse',
  DETRACTOR: 'experience',
  BAD_SERVICE_EXPERIENCE: 'experience',
  FAULT_WITHOUT_VISIT: 'technical',
});
