/** The rule-set document is invalid; `problems` name each offending field. */
export class RuleSetError extends Error {
  readonly code = 'RULE_SET_INVALID';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid rule set:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RuleSetError';
  }
}

/** evaluate() was given inconsistent state (another tenant's machine, a duplicate serial, a bad instant). */
export class RiskInputError extends Error {
  readonly code = 'RISK_INPUT_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'RiskInputError';
  }
}
