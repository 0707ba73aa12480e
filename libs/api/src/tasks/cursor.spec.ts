import { ApiError } from '../http/api-error';
import { decodeCursor, encodeCursor } from './cursor';

describe('queue cursor', () => {
  it('round-trips (priority, task id)', () => {
    expect(decodeCursor(encodeCursor({ priority: '80.5', taskId: 'a:b' }))).toEqual({
      priority: '80.5',
      taskId: 'a:b',
    });
    expect(decodeCursor(encodeCursor({ priority: '1', taskId: '10023/01 🚜' })).taskId).toBe('10023/01 🚜');
  });

  it('rejects anything else with VALIDATION_FAILED', () => {
    const encoded = (json: string) => Buffer.from(json).toString('base64url');
    for (const bad of [
      'bm9wZQ',
      encoded('["x","t"]'),
      '',
      encoded('["80","a\\u0000b"]'), // a task id Postgres cannot compare: NUL
      encoded('["80","a\\ud800"]'), // … an unpaired surrogate
    ]) {
      expect(() => decodeCursor(bad)).toThrow(
        new ApiError('VALIDATION_FAILED', 'query.cursor: not a cursor returned as nextCursor'),
      );
    }
  });
});
