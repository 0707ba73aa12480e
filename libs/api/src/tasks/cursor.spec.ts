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

  it("carries the walk's clock (the first page's instant), and reads cursors issued before it without one", () => {
    const asOfMs = Date.UTC(2026, 2, 1, 12, 0, 0, 123);
    expect(decodeCursor(encodeCursor({ priority: '1050.00', taskId: 't1', asOfMs }))).toEqual({
      priority: '1050.00',
      taskId: 't1',
      asOfMs,
    });
    const old = Buffer.from(JSON.stringify(['80.5', 'a:b'])).toString('base64url');
    expect(decodeCursor(old)).toEqual({ priority: '80.5', taskId: 'a:b' });
  });

  it('rejects anything else with VALIDATION_FAILED', () => {
    const encoded = (json: string) => Buffer.from(json).toString('base64url');
    for (const bad of [
      'bm9wZQ',
      encoded('["x","t"]'),
      '',
      encoded('["80","a\\u0000b"]'), // a task id Postgres cannot compare: NUL
      encoded('["80","a\\ud800"]'), // … an unpaired surrogate
      encoded('["80","t","1772366400000"]'), // the clock: a number of ms only
      encoded('["80","t",1.5]'),
      encoded('["80","t",-1]'),
      encoded('["80","t",253402300800001]'), // past year 9999
      encoded('["80","t",1,2]'),
    ]) {
      expect(() => decodeCursor(bad)).toThrow(
        new ApiError('VALIDATION_FAILED', 'query.cursor: not a cursor returned as nextCursor'),
      );
    }
  });
});
