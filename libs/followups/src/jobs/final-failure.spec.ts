import { DelayedError, UnrecoverableError } from 'bullmq';
import { attemptFailure } from './final-failure';

describe('attemptFailure', () => {
  const job = (attemptsMade: number) => ({ attemptsMade, opts: { attempts: 3 } });
  const outage = Object.assign(new Error('terminating connection due to administrator command'), {
    code: '57P01',
  });
  const bug = new TypeError("Cannot read properties of undefined (reading 'x')");

  it('keeps a transient failure as it is, even on the last attempt (the re-send pass retries it)', () => {
    expect(attemptFailure(job(2), outage)).toBe(outage);
  });

  it('retries any other failure with back-off, and makes it unrecoverable on the last attempt', () => {
    expect(attemptFailure(job(0), bug)).toBe(bug);
    expect(attemptFailure(job(1), bug)).toBe(bug);
    const last = attemptFailure(job(2), bug);
    expect(last).toBeInstanceOf(UnrecoverableError);
    expect((last as Error).message).toBe(
      "Cannot read properties of undefined (reading 'x') (not transient: left failed after 3 attempts)",
    );
  });

  it('passes unrecoverable and delayed errors through', () => {
    const u = new UnrecoverableError('invalid payload');
    const d = new DelayedError();
    expect([attemptFailure(job(0), u), attemptFailure(job(2), d)]).toEqual([u, d]);
    expect(attemptFailure(job(2), d)).toBe(d);
  });
});
