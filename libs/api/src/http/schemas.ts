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

const id = z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'must be 1-128 characters of A-Z a-z 0-9 . _ : @ -');

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
  note: z.string().max(2000).optional(),
});
export type CompleteBody = z.infer<typeof CompleteBody>;
