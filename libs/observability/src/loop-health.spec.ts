import { FailureStreak, LoopHealth, type LoopLogger } from './loop-health';

interface Line {
  level: string;
  fields: object;
  msg: string;
}

function recorder(): { logger: LoopLogger; lines: Line[] } {
  const lines: Line[] = [];
  const log = (level: string) => (fields: object, msg: string) => lines.push({ level, fields, msg });
  return { logger: { info: log('info'), warn: log('warn'), error: log('error') }, lines };
}

describe('FailureStreak', () => {
  it('escalates to error once failing for errorAfterMs even below the count, then one reminder a minute with the count', () => {
    const { logger, lines } = recorder();
    const s = new FailureStreak('outcomes publisher', logger, {
      errorAfterFailures: 100,
      errorAfterMs: 30_000,
    });
    for (let t = 0; t <= 150_000; t += 10_000) s.fail(new Error('broker down'), t);
    expect(lines.map((l) => [l.level, l.msg, (l.fields as { failures: number }).failures])).toEqual([
      ['warn', 'outcomes publisher failed', 1],
      ['error', 'outcomes publisher keeps failing', 4], // 30 s
      ['error', 'outcomes publisher still failing', 10], // 90 s
      ['error', 'outcomes publisher still failing', 16], // 150 s
    ]);
    expect(s.problem(150_000)).toBe(
      'outcomes publisher failed 16 attempts in a row for 150000 ms: broker down',
    );
    s.ok(155_000);
    expect(lines[4]).toEqual({
      level: 'info',
      fields: { failures: 16, failingForMs: 155_000 },
      msg: 'outcomes publisher recovered',
    });
    expect(s.problem(155_000)).toBeUndefined();
    s.ok(160_000); // logged once
    expect(lines).toHaveLength(5);
  });

  it('never logs or reports the credentials of a connection URL in an error', () => {
    const { logger, lines } = recorder();
    const s = new FailureStreak('alerts poll', logger, { errorAfterFailures: 1 });
    s.fail(new Error('connect ECONNREFUSED postgres://rp:hunter2@db:5432/rp'), 0);
    expect(JSON.stringify(lines)).not.toContain('hunter2');
    expect(s.problem(0)).toBe(
      'alerts poll failed 1 attempts in a row for 0 ms: connect ECONNREFUSED postgres://[redacted]@db:5432/rp',
    );
  });
});

describe('LoopHealth.check', () => {
  it('is up with its state, down when the oldest pending row is older than maxPendingAgeMs', async () => {
    const { logger } = recorder();
    const h = new LoopHealth('followups relay', logger, { maxPendingAgeMs: 60_000 });
    h.started(1_000);
    h.succeeded(2_000);
    await expect(h.check(3_000, () => Promise.resolve(60_000))).resolves.toEqual({
      consecutiveFailures: 0,
      lastSuccessAt: '1970-01-01T00:00:02.000Z',
    });
    await expect(h.check(3_000, () => Promise.resolve(null))).resolves.toEqual({
      consecutiveFailures: 0,
      lastSuccessAt: '1970-01-01T00:00:02.000Z',
    });
    await expect(h.check(3_000, () => Promise.resolve(60_001))).rejects.toThrow(
      /^followups relay: oldest pending outbox row waiting for 60001 ms$/,
    );
  });

  it('is down while a pass runs longer than maxPassMs, and shows a failure below the threshold while up', async () => {
    const { logger } = recorder();
    const h = new LoopHealth('alerts poll', logger, { maxPassMs: 10_000 });
    h.failed(new Error('deadlock detected'), 0);
    h.started(5_000);
    await expect(h.check(15_000)).resolves.toEqual({
      consecutiveFailures: 1,
      passStartedAt: '1970-01-01T00:00:05.000Z',
      lastError: 'deadlock detected',
    });
    await expect(h.check(15_001)).rejects.toThrow(
      /^alerts poll: pass running for 10001 ms; last error: deadlock detected$/,
    );
    h.ended(); // rows locked elsewhere: the failure stays
    await expect(h.check(15_001)).resolves.toEqual({
      consecutiveFailures: 1,
      lastError: 'deadlock detected',
    });
  });
});
