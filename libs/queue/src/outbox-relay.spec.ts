import type { Queue } from 'bullmq';
import type { DataSource, EntityManager } from 'typeorm';
import { reclaimUnconfirmed, type OutboxSource } from './outbox-relay';

interface Key {
  id: string;
}

/** A job as Redis holds it: its state, name and last stack line (absent: Redis holds no hash). */
interface FakeJob {
  state: string;
  name?: string;
  lastStack?: string;
}

/** Just what the recovery pass calls on a queue, over an in-memory map of jobs. */
function fakeQueue(jobs: Map<string, FakeJob>): Queue {
  const q = {
    getJob: (id: string) => {
      const j = jobs.get(id);
      if (!j) return Promise.resolve(undefined);
      return Promise.resolve({
        name: j.name ?? '',
        stacktrace: j.lastStack ? [j.lastStack] : [],
        retry: () => {
          j.state = 'waiting';
          return Promise.resolve();
        },
      });
    },
    getJobState: (id: string) => Promise.resolve(jobs.get(id)?.state ?? 'unknown'),
    remove: (id: string) => Promise.resolve(jobs.delete(id) ? 1 : 0),
  };
  return q as unknown as Queue;
}

/** A source over `rows` (all unconfirmed, oldest first) that records what the pass marks. */
function fakeSource(rows: Key[]) {
  const marks = { unmarked: [] as string[], marked: [] as string[], limits: [] as number[] };
  const source: OutboxSource<Key> = {
    what: 'probe jobs',
    claim: () => Promise.resolve([]),
    toJob: (r) => ({ name: 'probe', data: {}, jobId: `job.${r.id}` }),
    jobId: (r) => `job.${r.id}`,
    markSent: (_em, rs) => {
      marks.marked.push(...rs.map((r) => r.id));
      return Promise.resolve();
    },
    unmarkSent: (_em, rs) => {
      marks.unmarked.push(...rs.map((r) => r.id));
      return Promise.resolve();
    },
    claimUnconfirmed: (_em, _olderThanMs, limit) => {
      marks.limits.push(limit);
      const done = new Set([...marks.marked, ...marks.unmarked]);
      return Promise.resolve(rows.filter((r) => !done.has(r.id)).slice(0, limit));
    },
  };
  return { source, marks };
}

const ds = {
  transaction: <T>(work: (em: EntityManager) => Promise<T>) => work({} as EntityManager),
} as unknown as DataSource;

describe('reclaimUnconfirmed', () => {
  it('looks at one page per pass and re-sends only rows whose job is missing, dead or transiently exhausted', async () => {
    const jobs = new Map<string, FakeJob>([
      ['job.waiting', { state: 'waiting', name: 'probe' }],
      ['job.active', { state: 'active', name: 'probe' }],
      ['job.delayed', { state: 'delayed', name: 'probe' }],
      ['job.completed', { state: 'completed', name: 'probe' }],
      ['job.poison', { state: 'failed', name: 'probe', lastStack: 'UnrecoverableError: invalid payload' }],
      ['job.exhausted', { state: 'failed', name: 'probe', lastStack: 'Error: database down' }],
      ['job.lost-from-list', { state: 'unknown', name: 'probe' }],
      ['job.nameless', { state: 'failed' }],
    ]);
    const ids = [
      'waiting',
      'active',
      'delayed',
      'completed',
      'poison',
      'exhausted',
      'lost-from-list',
      'nameless',
      'missing',
    ];
    const { source, marks } = fakeSource(ids.map((id) => ({ id })));
    const queue = fakeQueue(jobs);

    const passes = [];
    for (let i = 0; i < 4; i++) passes.push(await reclaimUnconfirmed(ds, queue, source, 60_000, 4));

    expect(passes).toEqual([
      { checked: 4, resent: 0 },
      { checked: 4, resent: 3 },
      { checked: 1, resent: 1 },
      { checked: 0, resent: 0 },
    ]);
    expect(marks.limits).toEqual([4, 4, 4, 4]);
    expect(marks.unmarked).toEqual(['lost-from-list', 'nameless', 'missing']);
    expect(marks.marked).toEqual(['waiting', 'active', 'delayed', 'completed', 'poison', 'exhausted']);
    expect([...jobs.keys()].sort()).toEqual([
      'job.active',
      'job.completed',
      'job.delayed',
      'job.exhausted',
      'job.poison',
      'job.waiting',
    ]);
    expect(jobs.get('job.exhausted')!.state).toBe('waiting');
    expect(jobs.get('job.poison')!.state).toBe('failed');
  });

  it('refuses a page size that is not a positive integer', async () => {
    const { source } = fakeSource([]);
    await expect(reclaimUnconfirmed(ds, fakeQueue(new Map()), source, 60_000, 0)).rejects.toThrow(
      'reclaim page must be a positive integer, got 0',
    );
  });
});
