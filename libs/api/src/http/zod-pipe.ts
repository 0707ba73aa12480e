import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { ApiError } from './api-error';

/** Validates (and coerces) one input — params, query or body — against a zod schema; 400 names the field. */
export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly what: string,
  ) {}

  transform(value: unknown): z.infer<S> {
    const r = this.schema.safeParse(value ?? {});
    if (r.success) return r.data;
    const issues = r.error.issues
      .map((i) => `${[this.what, ...i.path.map(String)].join('.')}: ${i.message}`)
      .join('; ');
    throw new ApiError('VALIDATION_FAILED', issues);
  }
}
