import { RelayLoop, type RelayLoopOptions } from './relay-loop';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A loop with a 10 s idle pause around `pass`, run for `ms`, then stopped. */
async function runFor(ms: number, pass: RelayLoopOptions['pass'], retryMs?: number): Promise<void> {
  const loop = new RelayLoop({
    name: 'test',
    logger: { warn: () => undefined },
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
