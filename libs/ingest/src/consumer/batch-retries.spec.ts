import { BatchRetries, errorText, retryKind, type RetryLog } from './batch-retries';

const limits = { maxRetryMs: 60_000, maxRetryAttempts: 5, logEveryMs: 60_000 };
/** A pg error as TypeORM throws it: QueryFailedError with the driver's error (and its code). */
const pgError = (code: string, message: string) =>
  Object.assign(new Error(message), { name: 'QueryFailedError', driverError: { code, message } });
const lockTimeout = pgError('55P03', 'canceling statement due to lock timeout');
const denied = pgError('42501', 'permission denied for table processed_events');

const levels = (logs: (RetryLog | undefined)[]) => logs.map((l) => l?.level ?? '-');

describe('BatchRetries: when a batch retried in place is stalled', () => {
  it('a transient failure is stalled after more than MAX_RETRY_MS, even with few attempts', () => {
    const r = new BatchRetries({ ...limits, maxRetryAttempts: 100 });
    r.failed('t', 0, lockTimeout, 1_000, 200);
    r.failed('t', 0, lockTimeout, 31_000, 400); // each attempt waited 30 s for its lock
    expect(r.problem(61_000)).toBeUndefined();
    expect(r.problem(61_001)).toBe(
      'retrying t:0 for 60 s (2 failed attempts, transient): 55P03 canceling statement due to lock timeout',
    );
  });

  it('a transient failure is stalled at MAX_RETRY_ATTEMPTS failed attempts, even within a few seconds', () => {
    const r = new BatchRetries(limits);
    for (let i = 0; i < 4; i++) r.failed('t', 2, lockTimeout, 1_000 + i * 1_000, 200);
    expect(r.problem(5_000)).toBeUndefined();
    r.failed('t', 2, lockTimeout, 5_000, 200);
    expect(r.problem(6_500)).toBe(
      'retrying t:2 for 5 s (5 failed attempts, transient): 55P03 canceling statement due to lock timeout',
    );
  });

  it('a misconfiguration (privilege, missing table) is stalled at its first failure: no retry cures it alone', () => {
    const r = new BatchRetries(limits);
    expect(r.failed('t', 1, denied, 1_000, 200).kind).toBe('misconfiguration');
    expect(r.problem(1_000)).toBe(
      'retrying t:1 for 0 s (1 failed attempts, misconfiguration): 42501 permission denied for table processed_events' +
        ' (the database refuses it: fix privileges or schema; retried until then)',
    );
  });

  it('passing clears it; so does a batch given up (partition moved, consumer stopping)', () => {
    const r = new BatchRetries(limits);
    r.failed('t', 0, denied, 0, 200);
    r.failed('t', 1, denied, 0, 200);
    r.succeeded('t', 0, 1_000);
    expect(r.problem(1_000)).toMatch(/^retrying t:1 /);
    r.abandoned('t', 1);
    expect(r.problem(1_000)).toBeUndefined();
    // The same batch coming back later counts afresh.
    r.failed('t', 1, lockTimeout, 500_000, 200);
    expect(r.problem(500_000)).toBeUndefined();
  });

  it('several stalled partitions: the longest is named, with how many more', () => {
    const r = new BatchRetries(limits);
    r.failed('b', 0, denied, 20_000, 200);
    r.failed('a', 3, denied, 10_000, 200);
    r.failed('c', 0, lockTimeout, 30_000, 200); // not stalled yet
    expect(r.problem(42_000)).toBe(
      'retrying a:3 for 32 s (1 failed attempts, misconfiguration): 42501 permission denied for table processed_events' +
        ' (the database refuses it: fix privileges or schema; retried until then); 1 more partition(s) stalled',
    );
  });
});

describe('BatchRetries: logging', () => {
  it('warn per retry until stalled, then error at most once per interval, info when it passes', () => {
    const r = new BatchRetries(limits);
    const logs: (RetryLog | undefined)[] = [];
    let at = 0;
    for (let i = 0; i < 8; i++) logs.push(r.failed('t', 0, lockTimeout, (at += 10_000), 10_000).log);
    expect(levels(logs)).toEqual(['warn', 'warn', 'warn', 'warn', 'error', '-', '-', '-']);
    expect(logs[4]).toEqual({
      level: 'error',
      msg: 'ingest batch stalled: retrying it until the database accepts it (never skipped)',
      fields: {
        topic: 't',
        partition: 0,
        kind: 'transient',
        attempts: 5,
        retryingForMs: 40_000,
        retryInMs: 10_000,
        err: '55P03 canceling statement due to lock timeout',
      },
    });
    // 60 s after the error line: the next one.
    for (let i = 0; i < 4; i++) logs.push(r.failed('t', 0, lockTimeout, (at += 10_000), 10_000).log);
    expect(levels(logs.slice(8))).toEqual(['-', '-', 'error', '-']);
    expect(logs[10]?.fields.attempts).toBe(11);
    expect(r.succeeded('t', 0, (at += 1_000))).toEqual({
      level: 'info',
      msg: 'ingest batch stall over: the batch passed',
      fields: { topic: 't', partition: 0, attempts: 12, retryingForMs: 111_000 },
    });
  });

  it('a misconfiguration logs at error at once; a batch that passes before stalling logs nothing more', () => {
    const r = new BatchRetries(limits);
    expect(r.failed('t', 0, denied, 0, 200).log?.level).toBe('error');
    expect(r.failed('t', 0, denied, 200, 400).log).toBeUndefined();
    r.failed('t', 1, lockTimeout, 0, 200);
    expect(r.succeeded('t', 1, 300)).toBeUndefined();
  });
});

describe('retryKind and errorText', () => {
  it('classes the SQLSTATEs only an operator cures as misconfiguration, the rest as transient', () => {
    const kinds = [
      '42501',
      '42P01',
      '42703',
      '42883',
      '3F000',
      '3D000',
      '28P01',
      '25006',
      '53100',
      '57014',
      '55P03',
      '40P01',
      '08006',
    ].map((code) => `${code}:${retryKind(pgError(code, 'x'))}`);
    expect(kinds).toEqual([
      '42501:misconfiguration',
      '42P01:misconfiguration',
      '42703:misconfiguration',
      '42883:misconfiguration',
      '3F000:misconfiguration',
      '3D000:misconfiguration',
      '28P01:misconfiguration',
      '25006:transient',
      '53100:transient',
      '57014:transient',
      '55P03:transient',
      '40P01:transient',
      '08006:transient',
    ]);
    expect(retryKind(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe('transient');
    expect(retryKind({ code: '42P01', message: 'relation "x" does not exist' })).toBe('misconfiguration');
  });

  it('puts the code before the message once, and bounds the text', () => {
    expect(errorText(pgError('53100', 'could not extend file: No space left on device'))).toBe(
      '53100 could not extend file: No space left on device',
    );
    expect(
      errorText(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })),
    ).toBe('connect ECONNREFUSED 127.0.0.1:5432');
    expect(errorText(new Error('x'.repeat(1_000)))).toHaveLength(300);
  });
});
