import type { z } from 'zod';
import { TIMESTAMP_ISSUE } from './primitives';
import { RejectionCode } from './rejection';

const MAX_LISTED_ISSUES = 5;

/**
 * Per-parse zod error map: stable wording that names the constraint, never the value, so personal
 * data (customer name, phone, email) cannot leak into DLQ headers or logs.
 */
export function issueText(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required';
      return issue.expected === 'int' ? 'must be an integer' : `must be ${withArticle(issue.expected)}`;
    case 'too_small':
      return bound(issue.origin, issue.inclusive ? '>=' : '>', Number(issue.minimum), 'at least');
    case 'too_big':
      return bound(issue.origin, issue.inclusive ? '<=' : '<', Number(issue.maximum), 'at most');
    case 'invalid_value':
      return `must be one of: ${issue.values.map(String).join(', ')}`;
    case 'custom': // our custom checks carry their own message; this is the fallback
    case 'invalid_format':
    case 'invalid_union':
    case 'invalid_key':
    case 'invalid_element':
    case 'not_multiple_of':
    case 'unrecognized_keys':
      return 'is invalid';
  }
}

function withArticle(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function bound(origin: string, op: string, limit: number, words: string): string {
  if (origin === 'string')
    return limit === 1 && op === '>=' ? 'must not be empty' : `must be ${words} ${limit} characters`;
  if (origin === 'array') return `must have ${words} ${limit} items`;
  return `must be ${op} ${limit}`;
}

export function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const seg of path) {
    out += typeof seg === 'number' ? `[${seg}]` : `${out === '' ? '' : '.'}${String(seg)}`;
  }
  return out === '' ? '(root)' : out;
}

function isTimestampIssue(issue: z.core.$ZodIssue): boolean {
  return issue.code === 'custom' && issue.params?.['rejection'] === TIMESTAMP_ISSUE;
}

/** Collapses zod issues into one rejection; INVALID_TIMESTAMP only when every issue is a bad timestamp. */
export function describeIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix = '',
): { code: RejectionCode; message: string } {
  const code =
    issues.length > 0 && issues.every(isTimestampIssue)
      ? RejectionCode.INVALID_TIMESTAMP
      : RejectionCode.SCHEMA_INVALID;
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map((i) => `${fieldPath(prefix, i.path)}: ${i.message}`);
  const more = issues.length - listed.length;
  return { code, message: listed.join('; ') + (more > 0 ? `; (+${more} more)` : '') };
}
