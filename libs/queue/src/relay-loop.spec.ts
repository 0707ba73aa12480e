import { RelayLoop } from './relay-loop';

const logger = { warn: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RelayLoop', () => {
  it('looks again within milliseconds while rows are held elsewhere, backing off, then idles', async () => {
    const at: number[] = [];
    let held = 4;
    const loop = new RelayLoop({
      name: 'test',
      logger,
      batch: 100,
      idleMs: 10_000,
      retryMs: 5,
      pass: () => {
        at.push(performance.now());
        return Promise.resolve({ handled: 0, waiting: held-- > 0 });
      },
    });
    loop.start();
    await sleep(400);
    await loop.stop();
    // The first pass, 4 more after 5, 10, 20 and 40 ms (the last finds nothing held), then the idle pause.
    expect(at.length).toBe(5);
    const gaps = at.slice(1, 5).map((t, i) => t - at[i]);
    expect(gaps[3]).toBeGreaterThan(gaps[0]);
    expect(at[4] - at[0]).toBeLessThan(300);
  });

  it('a plain count keeps the idle pause', async () => {
    let passes = 0;
    const loop = new RelayLoop({
      name: 'test',
      logger,
      batch: 100,
      idleMs: 10_000,
      pass: () => {
        passes++;
        return Promise.resolve(0);
      },
    });
    loop.start();
    await sleep(200);
    await loop.stop();
    expect(passes).toBe(1); // then the idle pause, cut short by stop()
  });
});
