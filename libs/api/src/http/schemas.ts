import { z } from 'zod';

/** Every input of the API, validated by ZodPipe; the OpenAPI document is generated from the same schemas. */
export const OUTCOMES = [
  'service-booked',
  'contract-sold',
  'parts-ordered',
  'not-interested',
  'lost-to-competitor',
  'machine-sold',
  'unreachable',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** NUL and the other C0/C1 control characters: Postgres refuses NUL in text, and none belongs in an id. */
const hasControl = (s: string): boolean =>
  [...s].some((ch) => {
    const c = ch.charCodeAt(0);
    return c < 0x20 || (c >= 0x7f && c <= 0x9f);
  });
/** A UTF-16 surrogate without its pair: not encodable as UTF-8, so Postgres (and jsonb) refuse it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Text Postgres can store: no NUL character, no unpaired surrogate. */
export const problemOfText = (s: string): string | undefined =>
  s.includes('\u0000')
    ? 'must not contain the NUL character (\\u0000)'
    : LONE_SURROGATE.test(s)
      ? 'must not contain an unpaired UTF-16 surrogate (invalid Unicode)'
      : undefined;

const storableText = (max: number) =>
  z
    .string()
    .max(max)
    .superRefine((s, ctx) => {
      const problem = problemOfText(s);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

/**
 * Identifiers are the event contract's: any 1-128 characters (ids like `10023/01` or `CAT 320`), but no
 * control characters and valid Unicode.
 */
const id = z
  .string()
  .min(1, 'must be 1-128 characters')
  .max(128, 'must be 1-128 characters')
  .superRefine((s, ctx) => {
    const problem = hasControl(s) ? 'must not contain control characters' : problemOfText(s);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const TaskIdParams = z.strictObject({ id });
export const CustomerIdParams = z.strictObject({ id });
export const SerialParams = z.strictObject({ serial: id });

export const TaskQuery = z.strictObject({
  status: z.enum(['open', 'claimed', 'done', 'active']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z
    .string()
    .max(400)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor returned as nextCursor')
    .optional(),
});
export type TaskQuery = z.infer<typeof TaskQuery>;

export const CompleteBody = z.strictObject({
  outcome: z.enum(OUTCOMES),
  note: storableText(2000).optional(),
});
export type CompleteBody = z.infer<typeof CompleteBody>;
