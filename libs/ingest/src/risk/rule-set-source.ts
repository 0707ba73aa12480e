import { readFileSync } from 'node:fs';
import { DEFAULT_RULE_SET, parseRuleSet, type RuleSet } from '@rp/risk';

/** The active rule set: a versioned JSON document (data teams copy and change it), or the defaults. */
export function loadRuleSet(file?: string): RuleSet {
  if (!file) return DEFAULT_RULE_SET;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`RISK_RULESET_FILE ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseRuleSet(json);
}
