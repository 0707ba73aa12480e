import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@rp/database';
import { decisionJobId, reclaimUnapplied, relayDecisions } from '@rp/followups';
import { createRedis, QueueName } from '@rp/queue';
import { testConfig, waitFor } from '../../support';

const DEALER = 'dealer-r';
const PAGE = 1000;
const AFTER_MS = 60_000;

// The recovery pass of decisions dispatched long ago and never applied: it looks at one page of rows per
// pass (no payloads), and sends again only those whose job Redis does not hold or holds dead.
describe('followups recovery pass: one page at a time, only lost jobs', () => {
  const config = testConfig();
  const conns: Redis[] = [];
  let ds: DataSource;
  let queue: Queue;
  const conn = (): Redis => {
    const r = createRedis(config.redis.url);
    conns.push(r);
    return r;
  };

  beforeAll(async () => {
    ds = createDataSource(config.database);
    await ds.initialize();
    await runMigrations(ds);
    queue = new Queue(QueueName.Followups, { connection: conn(), prefix: config.redis.queuePrefix });
  });
  afterAll(async () => {
    await queue.obliterate({ force: true });
    await queue.close();
    await Promise.all(conns.map((r) => r.quit()));
    await ds.query(`DROP SCHEMA IF EXISTS ${config.database.schema} CASCADE`);
    await ds.destroy();
  });
  beforeEach(async () => {
    await queue.obliterate({ force: true });
    await ds.query('TRUNCATE outbox');
  });

  /** `n` decisions dispatched an hour ago and never applied, keys `<prefix>-00001` …, in id order. */
  const dispatchedLongAgo = async (prefix: string, n: number): Promise<string[]> => {
    const rows = await ds.query<{ dedup_key: string }[]>(
      `INSERT INTO outbox (dealer_id, kind, dedup_key, payload, dispatched_at)
       SELECT $1, 'decision', $2 || '-' || lpad(g::text, 5, '0'), '{}'::jsonb, now() - interval '1 hour'
         FROM generate_series(1, $3::int) g ORDER BY g
       RETURNING dedup_key`,
      [DEALER, prefix, n],
    );
    return rows.map((r) => r.dedup_key).sort();
  };
  const jobIds = (keys: string[]): string[] => keys.map((k) => decisionJobId(DEALER, k)).sort();
  const waitingIds = async (): Promise<string[]> =>
    (await queue.getJobs(['waiting'], 0, -1)).map((j) => j.id!).sort();
  const unsent = async (): Promise<number> =>
    Number(
      (await ds.query<{ n: string }[]>('SELECT count(*) AS n FROM outbox WHERE dispatched_at IS NULL'))[0].n,
    );

  it('re-sends a backlog of lost jobs one page per pass, each exactly once', async () => {
    const keys = await dispatchedLongAgo('lost', 2 * PAGE + 500);

    const seen: string[][] = [];
    const resent: number[] = [];
    for (let pass = 0; pass < 4; pass++) {
      resent.push(await reclaimUnapplied(ds, queue, AFTER_MS));
      const unmarked = await unsent();
      const relayed = (await relayDecisions(ds, queue, 10_000)).sent;
      expect(relayed).toBe(unmarked);
      seen.push(await waitingIds());
    }

    // A page, a page, the rest, nothing: the pass never looks at more than a page.
    expect(resent).toEqual([PAGE, PAGE, 500, 0]);
    expect(seen.map((s) => s.length)).toEqual([PAGE, 2 * PAGE, 2 * PAGE + 500, 2 * PAGE + 500]);
    // Oldest rows first (same dispatch time: id order), and each job added once under its fixed id.
    expect(seen[0]).toEqual(jobIds(keys.slice(0, PAGE)));
    expect(seen[1]).toEqual(jobIds(keys.slice(0, 2 * PAGE)));
    expect(seen[3]).toEqual(jobIds(keys));
    const jobs = await queue.getJobs(['waiting'], 0, -1);
    expect(new Set(jobs.map((j) => (j.data as { decisionId: string }).decisionId)).size).toBe(keys.length);
    expect(await queue.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed')).toBe(
      keys.length,
    );
  });

  it('leaves rows whose job is waiting alone, one page per pass, and moves on to the next page', async () => {
    const keys = await dispatchedLongAgo('held', PAGE + 200);
    await queue.addBulk(
      keys.map((k) => ({
        name: 'decision',
        data: { decisionId: k },
        opts: { jobId: decisionJobId(DEALER, k) },
      })),
    );
    const checkedAt = async (): Promise<number> =>
      Number(
        (
          await ds.query<{ n: string }[]>(
            `SELECT count(*) AS n FROM outbox WHERE dispatched_at > now() - interval '10 minutes'`,
          )
        )[0].n,
      );

    expect(await reclaimUnapplied(ds, queue, AFTER_MS)).toBe(0);
    expect([await unsent(), await checkedAt()]).toEqual([0, PAGE]);
    expect(await reclaimUnapplied(ds, queue, AFTER_MS)).toBe(0);
    expect([await unsent(), await checkedAt()]).toEqual([0, PAGE + 200]);
    expect(await queue.getJobCountByTypes('waiting')).toBe(PAGE + 200);
  });

  it('sends again only missing jobs, dead hashes and transiently failed ones; never live, completed or poisoned ones', async () => {
    const wConn = conn();
    let release = (): void => undefined;
    const held = new Promise<void>((r) => (release = r));
    const worker = new Worker(
      QueueName.Followups,
      async (job) => {
        const mode = (job.data as { mode: string }).mode;
        if (mode === 'poison') throw new UnrecoverableError('invalid payload');
        if (mode === 'transient') throw new Error('database down');
        if (mode === 'hold') await held;
        return 'done';
      },
      { connection: wConn, prefix: config.redis.queuePrefix, concurrency: 1 },
    );
    try {
      const keys = await dispatchedLongAgo('state', 9);
      const [completed, poison, transient, active, waiting, delayed, dead, missing1, missing2] = keys;
      const add = (key: string, mode: string, delay?: number) =>
        queue.add('decision', { mode }, { jobId: decisionJobId(DEALER, key), attempts: 1, delay });
      const state = (key: string) => queue.getJobState(decisionJobId(DEALER, key));
      const reach = (key: string, s: string) =>
        waitFor(`${key} ${s}`, async () => (await state(key)) === s, 10_000, 20);

      await add(completed, 'ok');
      await reach(completed, 'completed');
      await add(poison, 'poison');
      await reach(poison, 'failed');
      await add(transient, 'transient');
      await reach(transient, 'failed');
      await add(active, 'hold');
      await reach(active, 'active');
      await add(waiting, 'ok'); // the only slot is held: stays waiting
      await add(delayed, 'ok', 3_600_000);
      // What a partial Redis loss leaves: a hash with no name in no state (see dead-jobs.int-spec.ts).
      await conn().hset(queue.toKey(decisionJobId(DEALER, dead)), {
        processedOn: String(Date.now()),
        ats: '1',
      });
      const before = await Promise.all(
        [completed, poison].map(async (k) => (await queue.getJob(decisionJobId(DEALER, k)))!.finishedOn),
      );

      // Missing (2) and dead (1) rows are un-marked for the relay; the exhausted job is retried in place.
      expect(await reclaimUnapplied(ds, queue, AFTER_MS)).toBe(4);
      const marks = await ds.query<{ dedup_key: string; unsent: boolean; checked: boolean }[]>(
        `SELECT dedup_key, dispatched_at IS NULL AS unsent, dispatched_at > now() - interval '10 minutes' AS checked
           FROM outbox ORDER BY id`,
      );
      expect(marks.filter((m) => m.unsent).map((m) => m.dedup_key)).toEqual([dead, missing1, missing2]);
      expect(marks.filter((m) => m.checked).map((m) => m.dedup_key)).toEqual([
        completed,
        poison,
        transient,
        active,
        waiting,
        delayed,
      ]);
      expect(await Promise.all(keys.map(state))).toEqual([
        'completed',
        'failed',
        'waiting',
        'active',
        'waiting',
        'delayed',
        'unknown',
        'unknown',
        'unknown',
      ]);
      const after = await Promise.all(
        [completed, poison].map(async (k) => (await queue.getJob(decisionJobId(DEALER, k)))!.finishedOn),
      );
      expect(after).toEqual(before);

      // The relay sends the three lost rows once; a second pass right after finds nothing to look at.
      expect((await relayDecisions(ds, queue, 100)).sent).toBe(3);
      expect(await reclaimUnapplied(ds, queue, AFTER_MS)).toBe(0);
      // Later (here: anything older than 0 ms), the poisoned job is looked at again and still not re-sent.
      expect(await reclaimUnapplied(ds, queue, 0)).toBe(0);
      expect(await state(poison)).toBe('failed');
    } finally {
      release();
      await worker.close();
    }
  });
});
