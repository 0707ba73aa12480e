import type { Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { Logger } from '@rp/observability';
import { oldestUnpublishedDecisionMs, publishDecisions } from './outbox-publisher';
import type { RiskEngine } from './fire-timers';
import { sweepDue } from './risk-step';
import { RiskRuntime } from './risk-runtime';
import { quietWatermark } from './wall-clock';

jest.mock('./wall-clock', () => ({ quietWatermark: jest.fn(), DEFAULT_MAX_QUIET_ADVANCE_MS: 1 }));
jest.mock('./risk-step', () => ({ sweepDue: jest.fn(), backgroundSweepAt: jest.fn() }));
jest.mock('./outbox-publisher', () => ({
  publishDecisions: jest.fn(),
  oldestUnpublishedDecisionMs: jest.fn(),
}));

const sweep = jest.mocked(sweepDue);
const publish = jest.mocked(publishDecisions);
const oldest = jest.mocked(oldestUnpublishedDecisionMs);

interface Line {
  level: 'info' | 'warn' | 'error';
  fields: object;
  msg: string;
}

/** A runtime over mocked sweeps and publisher, a clock the test moves, and a logger that records lines. */
function setup(o: { failuresBeforeDown?: number; maxPublishDelayMs?: number } = {}) {
  const lines: Line[] = [];
  const log = (level: Line['level']) => (fields: object, msg: string) => lines.push({ level, fields, msg });
  const logger = { info: log('info'), warn: log('warn'), error: log('error') } as unknown as Logger;
  const clock = { ms: 1_000_000 };
  const runtime = new RiskRuntime({
    ds: {} as DataSource,
    producer: {} as Producer,
    decisionsTopic: 'retention.decisions',
    step: { engine: {} as RiskEngine, topics: ['t'], allowedLatenessMs: 0 },
    quietMs: 1000,
    logger,
    tickMs: 250,
    now: () => clock.ms,
    ...o,
  });
  /** One tick at `ms` on the test clock; its rejection (after both halves ran) swallowed. */
  const tickAt = async (ms: number) => {
    clock.ms = ms;
    await runtime.tick().catch(() => undefined);
  };
  return { runtime, lines, clock, tickAt };
}

const poison = new RangeError('margin12m must be finite, got Infinity');

beforeEach(() => {
  jest.mocked(quietWatermark).mockResolvedValue(5_000);
  sweep.mockReset();
  publish.mockReset();
  publish.mockResolvedValue(0);
  oldest.mockReset();
  oldest.mockResolvedValue(null);
});

describe('RiskRuntime.tick', () => {
  it('publishes the outbox even when a sweep fails, and waits for the other sweep before returning', async () => {
    const { runtime } = setup();
    let otherDone = false;
    sweep.mockRejectedValueOnce(poison).mockImplementationOnce(async () => {
      await new Promise((r) => setTimeout(r, 20));
      otherDone = true;
      return { fired: 1, more: false };
    });
    publish.mockResolvedValueOnce(3).mockResolvedValueOnce(0);
    await expect(runtime.tick()).rejects.toThrow('margin12m must be finite, got Infinity');
    expect(otherDone).toBe(true);
    expect(publish).toHaveBeenCalledTimes(2); // drained: 3 published, then none left
  });

  it('backs a failing sweep off (doubling from one tick up to 5 s) while the publisher runs every tick', async () => {
    const { tickAt } = setup();
    sweep.mockRejectedValue(poison);
    const sweptAt: number[] = [];
    for (let t = 1_000_000; t <= 1_012_000; t += 250) {
      const before = sweep.mock.calls.length;
      await tickAt(t);
      if (sweep.mock.calls.length > before) sweptAt.push(t - 1_000_000);
    }
    // Two sweepers per attempt; attempts after 0, +250, +500, +1000, +2000, +4000 (5 s cap), +5000.
    expect(sweptAt).toEqual([0, 250, 750, 1750, 3750, 7750, 12_750].filter((t) => t <= 12_000));
    expect(publish).toHaveBeenCalledTimes(49);
  });
});

describe('RiskRuntime.problem', () => {
  it('reports the sweeps down after 5 consecutive failed ticks with the last error, up again after one success', async () => {
    const { runtime, tickAt } = setup();
    sweep.mockRejectedValue(poison);
    const problems: (string | undefined)[] = [];
    for (const t of [0, 250, 750, 1750, 3750]) {
      await tickAt(1_000_000 + t);
      problems.push(runtime.problem());
    }
    expect(problems).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      'risk sweep failed 5 ticks in a row for 3750 ms: margin12m must be finite, got Infinity',
    ]);
    sweep.mockResolvedValue({ fired: 2, more: false });
    await tickAt(1_000_000 + 7750);
    expect(runtime.problem()).toBeUndefined();
  });

  it('leaves a publisher that keeps failing to its own probe', async () => {
    const { runtime, tickAt } = setup({ failuresBeforeDown: 2 });
    sweep.mockResolvedValue({ fired: 0, more: false });
    publish.mockRejectedValue(new Error('This server does not host this topic-partition'));
    await tickAt(1_000_000);
    await expect(runtime.publisherHealth()).resolves.toEqual({
      consecutiveFailures: 1,
      lastError: 'This server does not host this topic-partition',
    });
    await tickAt(1_000_250);
    expect(runtime.problem()).toBeUndefined();
    await expect(runtime.publisherHealth()).rejects.toThrow(
      /^decisions publisher failed 2 ticks in a row for 250 ms: This server does not host this topic-partition$/,
    );
  });
});

describe('RiskRuntime.publisherHealth', () => {
  it('reports the oldest unpublished decision once older than maxPublishDelayMs, with the last error', async () => {
    const { runtime, tickAt } = setup({ maxPublishDelayMs: 30_000 });
    sweep.mockResolvedValue({ fired: 0, more: false });
    await tickAt(1_000_000);
    oldest.mockResolvedValue(30_000);
    await expect(runtime.publisherHealth()).resolves.toEqual({
      consecutiveFailures: 0,
      lastSuccessAt: new Date(1_000_000).toISOString(),
    });
    publish.mockRejectedValueOnce(new Error('Request timed out'));
    await tickAt(1_000_250);
    oldest.mockResolvedValue(30_001);
    await expect(runtime.publisherHealth()).rejects.toThrow(
      /^decisions publisher: oldest pending outbox row waiting for 30001 ms; last error: Request timed out$/,
    );
  });

  it('reports a send that hangs longer than maxPublishDelayMs', async () => {
    const { runtime, clock } = setup({ maxPublishDelayMs: 30_000 });
    sweep.mockResolvedValue({ fired: 0, more: false });
    publish.mockReturnValue(new Promise(() => undefined));
    void runtime.tick();
    await new Promise((r) => setImmediate(r));
    clock.ms += 30_001;
    await expect(runtime.publisherHealth()).rejects.toThrow(
      /^decisions publisher: pass running for 30001 ms$/,
    );
  });
});

describe('RiskRuntime logs', () => {
  it('logs a failure at warn, at error once it persists (5 ticks), a reminder per error each minute, info once on recovery', async () => {
    const { lines, tickAt } = setup();
    let err: Error = poison;
    sweep.mockImplementation(() => Promise.reject(err));
    const T = 1_000_000;
    // 30 s of failures: the sweep retried every 5 s once backed off; warn at the first, error at the fifth.
    for (let t = 0; t <= 30_000; t += 250) await tickAt(T + t);
    expect(lines).toEqual([
      {
        level: 'warn',
        fields: { err: poison.message, failures: 1, failingForMs: 0 },
        msg: 'risk sweep failed',
      },
      {
        level: 'error',
        fields: { err: poison.message, failures: 5, failingForMs: 3750 },
        msg: 'risk sweep keeps failing',
      },
    ]);
    // Another error in the same streak: logged once too.
    err = new Error('deadlock detected');
    await tickAt(T + 35_000);
    err = poison;
    for (let t = 40_000; t <= 65_000; t += 5_000) await tickAt(T + t);
    expect(lines.slice(2)).toEqual([
      {
        level: 'error',
        fields: { err: 'deadlock detected', failures: 11, failingForMs: 35_000 },
        msg: 'risk sweep still failing',
      },
      {
        level: 'error',
        fields: { err: poison.message, failures: 17, failingForMs: 65_000 },
        msg: 'risk sweep still failing',
      },
    ]);
    sweep.mockResolvedValue({ fired: 1, more: false });
    await tickAt(T + 70_000);
    await tickAt(T + 70_250);
    expect(lines.slice(4)).toEqual([
      { level: 'info', fields: { failures: 17, failingForMs: 70_000 }, msg: 'risk sweep recovered' },
    ]);
  });
});
