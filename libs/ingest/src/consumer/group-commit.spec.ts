import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('runs items submitted in the same turn as one group and gives each submitter its own result', async () => {
    const groups: number[][] = [];
    const g = new GroupCommit<number, string>((items) => {
      groups.push(items);
      return Promise.resolve(items.map((i) => `r${i}`));
    });
    const first = await Promise.all([g.submit(1), g.submit(2), g.submit(3)]);
    const second = await g.submit(4);
    expect(first).toEqual(['r1', 'r2', 'r3']);
    expect(second).toBe('r4');
    expect(groups).toEqual([[1, 2, 3], [4]]);
  });

  it('forms the next group while the groups in flight run (at most maxInFlight at once)', async () => {
    const groups: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const g = new GroupCommit<number, number>(
      async (items) => {
        groups.push(items);
        if (groups.length === 1) await gate;
        return items;
      },
      { maxInFlight: 1 },
    );
    const a = g.submit(1);
    await new Promise((r) => setImmediate(r));
    const b = Promise.all([g.submit(2), g.submit(3)]);
    await new Promise((r) => setImmediate(r));
    expect(groups).toEqual([[1]]); // waits for the one in flight
    release();
    expect(await a).toBe(1);
    expect(await b).toEqual([2, 3]);
    expect(groups).toEqual([[1], [2, 3]]);
  });

  it('runs up to maxInFlight groups at once', async () => {
    let running = 0;
    let peak = 0;
    const g = new GroupCommit<number, number>(
      async (items) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return items;
      },
      { maxInFlight: 2, maxWeight: 1 },
    );
    expect(await Promise.all([1, 2, 3, 4, 5].map((i) => g.submit(i)))).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });

  it('stops a group growing at maxWeight, but always takes one item', async () => {
    const groups: number[][] = [];
    const g = new GroupCommit<number, number>(
      (items) => {
        groups.push(items);
        return Promise.resolve(items);
      },
      { maxInFlight: 10, weight: (i) => i, maxWeight: 5 },
    );
    await Promise.all([2, 3, 1, 9, 4, 1].map((i) => g.submit(i)));
    expect(groups).toEqual([[2, 3], [1], [9], [4, 1]]);
  });

  it("rejects every member of a failed group with the group's error", async () => {
    const g = new GroupCommit<number, number>(() => Promise.reject(new Error('database down')));
    const results = await Promise.allSettled([g.submit(1), g.submit(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(results.map((r) => ((r as PromiseRejectedResult).reason as Error).message)).toEqual([
      'database down',
      'database down',
    ]);
  });

  it('rejects when the runner returns the wrong number of results', async () => {
    const g = new GroupCommit<number, number>(() => Promise.resolve([1]));
    const results = await Promise.allSettled([g.submit(1), g.submit(2)]);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
  });
});
