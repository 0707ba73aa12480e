import { RelayLoop, type RelayLoopOptions } from './relay-loop';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A loop with a 10 s idle pause around `pass`, run for `ms`, then stopped. */
async function runFor(ms: number, pass: RelayLoopOptions['pass'], retryMs?: number): Promise<void> {
  const loop = new RelayLoop({
    name: 'test',
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    batch: 100,
    idleMs: 10_000,
    retryMs,
    pass,
  });
  loop.start();
  await sleep(ms);
  await loop.stop();
}

describe('RelayLoop', () => {
  it('looks again within milliseconds while rows are held elsewhere, backing off, then idles', async () => {
    const at: number[] = [];
    let held = 4;
    await runFor(
      1_000,
      () => {
        at.push(performance.now());
        return Promise.resolve({ handled: 0, waiting: held-- > 0 });
      },
      5,
    );
    // The first pass, 4 more after 5, 10, 20 and 40 ms (the last finds nothing held), then the idle pause.
    expect(at).toHaveLength(5);
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    expect(gaps[3]).toBeGreaterThan(gaps[0]);
    expect(at[4] - at[0]).toBeLessThan(900); // not the 10 s idle pause
  });

  it('a plain count keeps the idle pause', async () => {
    let passes = 0;
    await runFor(300, () => Promise.resolve(passes++ * 0));
    expect(passes).toBe(1); // then the idle pause, cut short by stop()
  });
});

interface Line {
  level: string;
  fields: object;
  msg: string;
}

/** A loop over scripted pass results (an Error is thrown), a test clock advanced 1 s per pass, recorded logs. */
function scripted(script: (number | { handled: number; waiting: boolean } | Error)[]) {
  const lines: Line[] = [];
  const log = (level: string) => (fields: object, msg: string) => lines.push({ level, fields, msg });
  const clock = { ms: 0 };
  const states: (string | undefined)[] = [];
  let i = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const loop: RelayLoop = new RelayLoop({
    name: 'followups relay',
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    batch: 100,
    idleMs: 1,
    retryMs: 1,
    errorPauseMs: 1,
    health: { errorAfterFailures: 3 },
    now: () => clock.ms,
    pass: () => {
      if (i > 0) states.push(loop.lastError);
      clock.ms += 1_000;
      if (i === script.length) {
        done();
        return new Promise(() => undefined); // parked: the test stops the loop
      }
      const r = script[i++];
      return r instanceof Error ? Promise.reject(r) : Promise.resolve(r);
    },
  });
  return { loop, lines, states, finished, clock };
}

describe('RelayLoop health', () => {
  const held = { handled: 0, waiting: true };
  const boom = new Error('relay trigger: dispatched_at rejected');

  it('keeps the error across passes that only found rows locked elsewhere; a pass that sends clears it', async () => {
    const { loop, states, finished, clock } = scripted([boom, held, boom, held, boom, held, 2, 0]);
    loop.start();
    await finished;
    expect(states).toEqual([
      boom.message, // after the failure
      boom.message, // rows locked elsewhere: not cleared
      boom.message,
      boom.message,
      boom.message,
      boom.message, // 3 failures in a row, the locked-rows passes between them not counting as successes
      undefined, // 2 rows sent
      undefined,
    ]);
    expect(loop.health.streak.failures).toBe(0);
    expect(loop.health.problem(clock.ms)).toBeUndefined();
    void loop.stop();
  });

  it('reports down after 3 failures in a row (locked-rows passes between them), naming the loop and the error', async () => {
    const { loop, finished, clock } = scripted([boom, held, boom, held, boom]);
    loop.start();
    await finished;
    expect(loop.health.problem(clock.ms)).toBe(
      'followups relay failed 3 passes in a row for 5000 ms: relay trigger: dispatched_at rejected',
    );
    void loop.stop();
  });

  it('logs warn first, error once the failures persist (then quiet), info once on recovery', async () => {
    const { loop, lines, finished } = scripted([boom, boom, boom, boom, boom, 1, 0]);
    loop.start();
    await finished;
    const fields = (n: number) => ({ err: boom.message, failures: n, failingForMs: (n - 1) * 1000 });
    expect(lines).toEqual([
      { level: 'warn', fields: fields(1), msg: 'followups relay failed' },
      { level: 'error', fields: fields(3), msg: 'followups relay keeps failing' },
      { level: 'info', fields: { failures: 5, failingForMs: 5000 }, msg: 'followups relay recovered' },
    ]);
    void loop.stop();
  });

  it('reports a pass that hangs', async () => {
    const { loop, finished, clock } = scripted([]);
    loop.start();
    await finished;
    // The parked pass started before the clock's last step (1 s).
    expect(loop.health.problem(clock.ms + 119_000)).toBeUndefined();
    expect(loop.health.problem(clock.ms + 119_001)).toBe('followups relay: pass running for 120001 ms');
    void loop.stop();
  });
});
