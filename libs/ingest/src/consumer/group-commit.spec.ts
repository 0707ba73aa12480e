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

  it('forms the next group while one runs', async () => {
    const groups: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const g = new GroupCommit<number, number>(async (items) => {
      groups.push(items);
      if (groups.length === 1) await gate;
      return items;
    });
    const a = g.submit(1);
    await new Promise((r) => setImmediate(r));
    const b = Promise.all([g.submit(2), g.submit(3)]);
    await new Promise((r) => setImmediate(r));
    expect(groups).toEqual([[1], [2, 3]]);
    release();
    expect(await a).toBe(1);
    expect(await b).toEqual([2, 3]);
  });

  it('caps a group at maxItems', async () => {
    const groups: number[][] = [];
    const g = new GroupCommit<number, number>((items) => {
      groups.push(items);
      return Promise.resolve(items);
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((i) => g.submit(i)));
    expect(groups).toEqual([[1, 2], [3, 4], [5]]);
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
