import { ApiError } from '../http/api-error';
import { problemOfText } from '../http/schemas';

/** Position after the last task of a page, in the queue order (priority desc, task_id asc). */
export interface Cursor {
  priority: string;
  taskId: string;
}

export const encodeCursor = (c: Cursor): string =>
  Buffer.from(JSON.stringify([c.priority, c.taskId])).toString('base64url');

export function decodeCursor(s: string): Cursor {
  try {
    const v = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[1] === 'string' &&
      problemOfText(v[1]) === undefined &&
      /^-?\d+(\.\d+)?$/.test(String(v[0]))
    ) {
      return { priority: String(v[0]), taskId: v[1] };
    }
  } catch {
    // fall through: same answer as a well-formed but wrong cursor
  }
  throw new ApiError('VALIDATION_FAILED', 'query.cursor: not a cursor returned as nextCursor');
}
