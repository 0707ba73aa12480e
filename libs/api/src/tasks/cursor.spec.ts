import { ApiError } from '../http/api-error';
import { decodeCursor, encodeCursor } from './cursor';

describe('queue cursor', () => {
  it('round-trips (priority, task id)', () => {
    expect(decodeCursor(encodeCursor({ priority: '80.5', taskId: 'a:b' }))).toEqual({
      priority: '80.5',
      taskId: 'a:b',
    });
  });

  it('rejects anything else with VALIDATION_FAILED', () => {
    for (const bad of ['bm9wZQ', Buffer.from('["x","t"]').toString('base64url'), '']) {
      expect(() => decodeCursor(bad)).toThrow(ApiError);
    }
  });
});
