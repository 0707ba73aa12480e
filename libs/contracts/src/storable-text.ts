/**
 * Strings Postgres cannot store: `text` refuses U+0000, `jsonb` refuses the `\u0000` escape and unpaired
 * surrogates (which a `text` column would silently turn into U+FFFD). Rejected at the door, naming the field,
 * instead of failing the projection's transaction.
 */

/**
 * Whether the raw message may hold such a string: a raw NUL, a JSON escape `\u0000` or `\uD800`–`\uDFFF`,
 * or a raw surrogate (a string input, or a valid pair). One scan of the text; a message without any of these
 * (almost every one) costs nothing more.
 */
const SUSPECT_ESCAPE = /[\ud800-\udfff]|\\u(?:0000|[dD][89a-fA-F])/;

export function mayHoldUnstorableText(text: string): boolean {
  return text.includes('\u0000') || SUSPECT_ESCAPE.test(text);
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function problemOf(s: string): string | undefined {
  if (s.includes('\u0000')) return 'must not contain NUL (U+0000)';
  if (LONE_SURROGATE.test(s)) return 'must not contain an unpaired surrogate (invalid Unicode)';
  return undefined;
}

/** `path: problem` for the first unstorable string in `value` (objects, arrays), or undefined. */
export function findUnstorableText(value: unknown, path: string, depth = 8): string | undefined {
  if (typeof value === 'string') {
    const problem = problemOf(value);
    return problem === undefined ? undefined : `${path}: ${problem}`;
  }
  if (depth <= 0 || typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${path}[${i}]`, depth - 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const found = findUnstorableText((value as Record<string, unknown>)[key], `${path}.${key}`, depth - 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
