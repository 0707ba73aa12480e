import { ApiError } from '../http/api-error';
import { problemOfText } from '../http/schemas';

/**
 * Position after the last task of a page, in the queue order (effective priority desc, task_id asc), and the
 * instant the walk evaluates the effective priority at (the first page's request time): one clock for the whole
 * walk, so a warranty end crossing the urgency window between pages neither skips nor repeats a task.
 * `asOfMs` is absent only in cursors issued before it existed (such a page is evaluated at the request time).
 */
export interface Cursor {
  priority: string;
  taskId: string;
  asOfMs?: number;
}

export const encodeCursor = (c: Cursor): string =>
  Buffer.from(
    JSON.stringify(c.asOfMs === undefined ? [c.priority, c.taskId] : [c.priority, c.taskId, c.asOfMs]),
  ).toString('base64url');

/** Latest instant a cursor may name (year 9999): beyond it Postgres' timestamptz and Date disagree. */
const MAX_AS_OF_MS = Date.UTC(9999, 11, 31);

export function decodeCursor(s: string): Cursor {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      (v.length === 2 || v.length === 3) &&
      typeof v[1] === 'string' &&
      problemOfText(v[1]) === undefined &&
      /^-?\d+(\.\d+)?$/.test(String(v[0]))
    ) {
      if (v.length === 2) return { priority: String(v[0]), taskId: v[1] };
      const asOfMs: unknown = v[2];
      if (
        typeof asOfMs === 'number' &&
        Number.isSafeInteger(asOfMs) &&
        asOfMs >= 0 &&
        asOfMs <= MAX_AS_OF_MS
      ) {
        return { priority: String(v[0]), taskId: v[1], asOfMs };
      }
    }
  } catch {
    // fall through: same answer as a well-formed but wrong cursor
  }
  throw new ApiError('VALIDATION_FAILED', 'query.cursor: not a cursor returned as nextCursor');
}
