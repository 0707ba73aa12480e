import type { z } from 'zod';
import { RuleSetError } from '../errors';
import { ruleSetSchema, type RuleSet } from './rule-set.schema';

function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path)
    out += typeof seg === 'number' ? `[${seg}]` : `${out === '' ? '' : '.'}${String(seg)}`;
  return out === '' ? '(root)' : out;
}

function problemsOf(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => `${fieldPath([...issue.path, k])}: unknown field`);
  }
  return [`${fieldPath(issue.path)}: ${issue.message}`];
}

/** Validates a rule-set document (parsed JSON); throws RuleSetError naming every offending field. */
export function parseRuleSet(json: unknown): RuleSet {
  const parsed = ruleSetSchema.safeParse(json);
  if (!parsed.success) throw new RuleSetError(parsed.error.issues.flatMap(problemsOf));
  return parsed.data;
}
