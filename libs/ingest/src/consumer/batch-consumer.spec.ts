import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import { Metrics, type Logger } from '@rp/observability';
import { BatchConsumer, MAX_FAILED_BATCHES, MAX_JOINING_MS, type BatchContext } from './batch-consumer';

/**
 * The consumer's state machine around kafkajs' events, with a stand-in kafkajs consumer: the real broker
 * cases (start failing, recovering, draining on stop) are in tests/integration/ingest/consumer-lifecycle.
 */
class FakeKafkaConsumer extends EventEmitter {
  readonly events = { GROUP_JOIN: 'group_join', CRASH: 'crash', END_BATCH_PROCESS: 'end_batch_process' };
  paused: string[] = [];
  pause = (tps: { topic: string; partitions: number[] }[]) => {
    this.paused.push(...tps.flatMap((tp) => tp.partitions.map((n) => `${tp.topic}:${n}`)));
  };
  connectError?: Error;
  disconnected = 0;
  connect = () => (this.connectError ? Promise.reject(this.connectError) : Promise.resolve());
  subscribe = () => Promise.resolve();
  eachBatch?: (payload: unknown) => Promise<void>;
  committed: string[] = [];
  run = (o: { eachBatch: (payload: unknown) => Promise<void> }) => {
    this.eachBatch = o.eachBatch;
    return Promise.resolve();
  };
  commitOffsets = (offsets: { offset: string }[]) => {
    this.committed.push(...offsets.map((x) => x.offset));
    return Promise.resolve();
  };
  /**
   * Hands one batch of one message at `offset` to the consumer, as kafkajs' runner would; `fetchedLast`: the
   * last offset fetched when records kafkajs filtered (a transaction's marker) follow the message.
   */
  deliver(offset: string, o: { highWatermark?: string; fetchedLast?: string } = {}) {
    return this.eachBatch!({
      batch: {
        topic: 't',
        partition: 0,
        highWatermark: o.highWatermark ?? '100',
        messages: [{ key: null, value: Buffer.from('{}'), headers: {}, offset, timestamp: '0' }],
        lastOffset: () => o.fetchedLast ?? offset,
      },
      isRunning: () => true,
      isStale: () => false,
      heartbeat: () => Promise.resolve(),
      resolveOffset: () => undefined,
      commitOffsetsIfNecessary: () => Promise.resolve(),
    });
  }
  seek = () => undefined;
  disconnect = () => {
    this.disconnected++;
    return Promise.resolve();
  };
  /** kafkajs' event after a fetch whose records were all filtered (control records, aborted data). */
  filtered(lastOffset: string, highWatermark: string) {
    this.emit(this.events.END_BATCH_PROCESS, {
      payload: { topic: 't', partition: 0, highWatermark, batchSize: 0, lastOffset },
    });
  }
  joined() {
    this.emit(this.events.GROUP_JOIN, { payload: {} });
  }
  crashed(message: string, restart: boolean) {
    this.emit(this.events.CRASH, { payload: { error: new Error(message), restart } });
  }
}

const silent: Logger = { error() {}, warn() {}, info() {}, debug() {} } as unknown as Logger;

function setUp(
  o: {
    maxJoiningMs?: number;
    handle?: (b: BatchContext) => Promise<void>;
    onCaughtUp?: (topic: string, partition: number) => Promise<void>;
    endOffsets?: Record<string, string>;
    onProgress?: (p: { next: string; done: boolean }) => void;
    metrics?: Metrics;
    maxRetryAttempts?: number;
    logger?: Logger;
  } = {},
) {
  const kafkaConsumers: FakeKafkaConsumer[] = [];
  const kafka = {
    consumer: () => {
      const c = new FakeKafkaConsumer();
      c.connectError = next.connectError;
      kafkaConsumers.push(c);
      return c;
    },
  } as unknown as Kafka;
  const next: { connectError?: Error } = {};
  let now = 1_000_000;
  const fatal: string[] = [];
  const consumer = new BatchConsumer(kafka, {
    groupId: 'g',
    topics: ['t'],
    handle: o.handle ?? (() => Promise.resolve()),
    logger: silent,
    onFatal: (e) => fatal.push(e.message),
    now: () => now,
    ...o,
  });
  return {
    consumer,
    kafkaConsumers,
    next,
    fatal,
    advance: (ms: number) => (now += ms),
  };
}

describe('BatchConsumer state', () => {
  it('is not healthy before it was started', () => {
    const { consumer } = setUp();
    expect(consumer.state).toBe('idle');
    expect(consumer.problem()).toBe('consumer not started');
  });

  it('a start that fails leaves it crashed with the error (not joining), and it can be started again', async () => {
    const t = setUp();
    t.next.connectError = Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:1'), {
      name: 'KafkaJSNumberOfRetriesExceeded',
    });
    await expect(t.consumer.start()).rejects.toThrow('Connection error: connect ECONNREFUSED 127.0.0.1:1');
    expect(t.consumer.state).toBe('crashed');
    expect(t.consumer.problem()).toBe(
      'consumer crashed: KafkaJSNumberOfRetriesExceeded: Connection error: connect ECONNREFUSED 127.0.0.1:1',
    );
    expect(t.kafkaConsumers[0].disconnected).toBe(1);

    t.next.connectError = undefined;
    await t.consumer.start();
    expect(t.consumer.state).toBe('joining');
    expect(t.consumer.problem()).toBeUndefined();
    t.kafkaConsumers[1].joined();
    expect(t.consumer.state).toBe('running');
    expect(t.consumer.problem()).toBeUndefined();
  });

  it('joining for longer than the bound without a group join is reported, a join clears it', async () => {
    const t = setUp();
    await t.consumer.start();
    t.advance(MAX_JOINING_MS);
    expect(t.consumer.problem()).toBeUndefined();
    t.advance(1);
    expect(t.consumer.problem()).toBe('consumer has not joined its group for 60001 ms');
    t.kafkaConsumers[0].joined();
    expect(t.consumer.state).toBe('running');
    expect(t.consumer.problem()).toBeUndefined();
  });

  it('kafkajs restarting it in a loop counts from the first crash, not from each restart', async () => {
    const t = setUp({ maxJoiningMs: 10_000 });
    await t.consumer.start();
    const k = t.kafkaConsumers[0];
    k.joined();
    t.advance(50_000);
    k.crashed('This server does not host this topic-partition', true);
    expect(t.consumer.state).toBe('joining');
    t.advance(6_000);
    k.crashed('This server does not host this topic-partition', true);
    t.advance(4_000);
    expect(t.consumer.problem()).toBeUndefined();
    t.advance(1);
    expect(t.consumer.problem()).toBe(
      'consumer has not joined its group for 10001 ms: This server does not host this topic-partition',
    );
    expect(t.fatal).toEqual([]);
  });

  it('kafkajs giving up makes it crashed and calls onFatal; stop makes it stopped', async () => {
    const t = setUp();
    await t.consumer.start();
    t.kafkaConsumers[0].joined();
    t.kafkaConsumers[0].crashed('broker gone', false);
    expect(t.consumer.state).toBe('crashed');
    expect(t.consumer.problem()).toBe('consumer crashed: broker gone');
    expect(t.fatal).toEqual(['broker gone']);
    await t.consumer.start();
    await t.consumer.stop();
    expect(t.consumer.state).toBe('stopped');
    expect(t.consumer.problem()).toBe('consumer stopped: broker gone');
  });

  it('events of a kafkajs consumer it replaced are ignored', async () => {
    const t = setUp();
    await t.consumer.start();
    await t.consumer.start();
    t.kafkaConsumers[1].joined();
    t.kafkaConsumers[0].crashed('old one', false);
    expect(t.consumer.state).toBe('running');
    expect(t.fatal).toEqual([]);
  });

  it('counts joining from the first failed attempt: a retried start does not look fresh', async () => {
    const t = setUp({ maxJoiningMs: 60_000 });
    t.next.connectError = new Error('Connection error: connect ECONNREFUSED 127.0.0.1:1');
    await expect(t.consumer.start()).rejects.toThrow('ECONNREFUSED');
    t.advance(50_000);
    t.next.connectError = undefined;
    await t.consumer.start(); // connected, subscribed, running: still has to join the group
    expect(t.consumer.state).toBe('joining');
    expect(t.consumer.problem()).toBeUndefined();
    t.advance(10_001);
    expect(t.consumer.problem()).toBe(
      'consumer has not joined its group for 60001 ms: Error: Connection error: connect ECONNREFUSED 127.0.0.1:1',
    );
    t.kafkaConsumers[1].joined();
    expect([t.consumer.state, t.consumer.problem()]).toEqual(['running', undefined]);
  });

  it('a stop that comes while connecting keeps the consumer out of the group', async () => {
    const t = setUp();
    let connected!: () => void;
    const ran: string[] = [];
    const kafka = {
      consumer: () => {
        const c = new FakeKafkaConsumer();
        c.connect = () => new Promise<void>((resolve) => (connected = resolve));
        c.subscribe = () => (ran.push('subscribe'), Promise.resolve());
        c.run = () => (ran.push('run'), Promise.resolve());
        t.kafkaConsumers.push(c);
        return c;
      },
    } as unknown as Kafka;
    const consumer = new BatchConsumer(kafka, {
      groupId: 'g',
      topics: ['t'],
      handle: () => Promise.resolve(),
      logger: silent,
    });
    const starting = consumer.start();
    await new Promise((r) => setImmediate(r));
    await consumer.stop();
    connected();
    await starting;
    expect(ran).toEqual([]);
    expect(consumer.state).toBe('stopped');
    expect(t.kafkaConsumers[0].disconnected).toBe(2);
  });

  it('a batch failing again after every restart is a crash loop, although the member rejoins each time', async () => {
    let fail = true;
    const bug = new TypeError("Cannot read properties of undefined (reading 'serialNumber')");
    const t = setUp({ handle: () => (fail ? Promise.reject(bug) : Promise.resolve()) });
    await t.consumer.start();
    const k = t.kafkaConsumers[0];
    for (let i = 1; i <= MAX_FAILED_BATCHES; i++) {
      k.joined();
      expect([t.consumer.state, t.consumer.problem()]).toEqual(['running', undefined]);
      await expect(k.deliver('7')).rejects.toBe(bug);
      k.crashed(bug.message, true); // kafkajs restarts it; the uncommitted batch comes back
      k.joined();
    }
    expect(t.consumer.state).toBe('running');
    expect(t.consumer.problem()).toBe(
      "consumer is in a crash loop: 3 batches failed in a row, none committed since: Cannot read properties of undefined (reading 'serialNumber')",
    );
    expect(k.committed).toEqual([]);

    fail = false; // fixed (e.g. the bad row repaired): the batch commits, the loop is over
    await k.deliver('7');
    expect(k.committed).toEqual(['8']);
    expect(t.consumer.problem()).toBeUndefined();
  });

  it('rebalances (kafkajs errors) do not count as a crash loop', async () => {
    const rebalance = Object.assign(new Error('The group is rebalancing'), { name: 'KafkaJSProtocolError' });
    const t = setUp({ handle: () => Promise.reject(rebalance) });
    await t.consumer.start();
    const k = t.kafkaConsumers[0];
    for (let i = 0; i < MAX_FAILED_BATCHES + 2; i++) {
      k.joined();
      await expect(k.deliver('7')).rejects.toBe(rebalance);
    }
    expect([t.consumer.state, t.consumer.problem()]).toEqual(['running', undefined]);
  });
});

/** A transactional producer's commit marker (or aborted records) after the last data message of a partition. */
describe('BatchConsumer and records kafkajs filters', () => {
  const settle = () => new Promise((r) => setImmediate(r));

  it('a batch followed by a commit marker at the partition end is caught up and commits past the marker', async () => {
    const seen: boolean[] = [];
    const t = setUp({ handle: (b) => (seen.push(b.caughtUp), Promise.resolve()) });
    await t.consumer.start();
    const k = t.kafkaConsumers[0];
    await k.deliver('8', { highWatermark: '10', fetchedLast: '9' }); // data at 8, marker at 9
    expect(seen).toEqual([true]);
    expect(k.committed).toEqual(['10']);
  });

  it('a fetch of only a marker at the partition end commits past it and reports the partition caught up', async () => {
    const caught: string[] = [];
    const t = setUp({ onCaughtUp: (topic, p) => (caught.push(`${topic}:${p}`), Promise.resolve()) });
    await t.consumer.start();
    const k = t.kafkaConsumers[0];
    k.filtered('5', '8'); // aborted records 3..5, more to read: committed, not caught up
    await settle();
    expect([k.committed, caught]).toEqual([['6'], []]);
    k.filtered('7', '8'); // the marker at 7 ends the partition
    await settle();
    expect([k.committed, caught]).toEqual([['6', '8'], ['t:0']]);
    // A batch that was handed over is the handler's business (its own END_BATCH_PROCESS is ignored).
    k.emit(k.events.END_BATCH_PROCESS, {
      payload: { topic: 't', partition: 0, highWatermark: '9', batchSize: 1, lastOffset: '8' },
    });
    await settle();
    expect([k.committed, caught]).toEqual([['6', '8'], ['t:0']]);
  });

  it('a bounded read whose end follows a marker finishes there', async () => {
    const progress: { next: string; done: boolean }[] = [];
    const t = setUp({ endOffsets: { 't:0': '10' }, onProgress: (p) => progress.push(p) });
    await t.consumer.start();
    const k = t.kafkaConsumers[0];
    await k.deliver('7', { highWatermark: '12', fetchedLast: '7' });
    k.filtered('9', '12'); // the marker at 9 is the last record before the end offset
    await settle();
    expect(k.committed).toEqual(['8', '10']);
    expect(progress.map((p) => [p.next, p.done])).toEqual([
      ['8', false],
      ['10', true],
    ]);
    expect(k.paused).toEqual(['t:0']);
  });
});

/** Transient failures retried in place: a batch that cannot pass is reported, counted, and still never skipped. */
describe('BatchConsumer and a batch retried in place', () => {
  const pgError = (code: string, message: string) =>
    Object.assign(new Error(message), { name: 'QueryFailedError', driverError: { code, message } });
  const lines = (m: Metrics, name: string) =>
    m.registry
      .getSingleMetricAsString(name)
      .then((text) => text.split('\n').filter((l) => !l.startsWith('#')));

  it('a failure only an operator cures (42501) is reported at once, counted, and the batch passes once cured', async () => {
    const metrics = new Metrics(false);
    const logged: string[] = [];
    const logger = {
      error: (_: unknown, msg: string) => logged.push(`error ${msg}`),
      warn: (_: unknown, msg: string) => logged.push(`warn ${msg}`),
      info: (_: unknown, msg: string) => logged.push(`info ${msg}`),
      debug() {},
    } as unknown as Logger;
    const problems: (string | undefined)[] = [];
    let calls = 0;
    const t = setUp({
      metrics,
      logger,
      handle: () => {
        problems.push(t.consumer.problem());
        return ++calls <= 2
          ? Promise.reject(pgError('42501', 'permission denied for table processed_events'))
          : Promise.resolve();
      },
    });
    await t.consumer.start();
    const k = t.kafkaConsumers[0];
    k.joined();
    await k.deliver('7', { highWatermark: '100' });

    expect(problems).toEqual([
      undefined,
      'retrying t:0 for 0 s (1 failed attempts, misconfiguration): 42501 permission denied for table processed_events' +
        ' (the database refuses it: fix privileges or schema; retried until then)',
      'retrying t:0 for 0 s (2 failed attempts, misconfiguration): 42501 permission denied for table processed_events' +
        ' (the database refuses it: fix privileges or schema; retried until then)',
    ]);
    expect(t.consumer.problem()).toBeUndefined();
    expect(k.committed).toEqual(['8']);
    expect(logged).toEqual([
      'error ingest batch stalled: retrying it until the database accepts it (never skipped)',
      'info ingest batch stall over: the batch passed',
    ]);
    expect(await lines(metrics, 'rp_ingest_batch_retries_total')).toEqual([
      'rp_ingest_batch_retries_total{topic="t",kind="misconfiguration"} 2',
    ]);
    expect(await lines(metrics, 'rp_ingest_last_commit_timestamp_seconds')).toEqual([
      'rp_ingest_last_commit_timestamp_seconds{topic="t",partition="0"} 1000',
    ]);
    expect(await lines(metrics, 'rp_ingest_consumer_lag')).toEqual([
      'rp_ingest_consumer_lag{topic="t",partition="0"} 92',
    ]);
  });

  it('a transient failure is reported once it reached maxRetryAttempts, and not before', async () => {
    const problems: (string | undefined)[] = [];
    let calls = 0;
    const t = setUp({
      maxRetryAttempts: 2,
      handle: () => {
        problems.push(t.consumer.problem());
        return ++calls <= 2
          ? Promise.reject(pgError('55P03', 'canceling statement due to lock timeout'))
          : Promise.resolve();
      },
    });
    await t.consumer.start();
    t.kafkaConsumers[0].joined();
    await t.kafkaConsumers[0].deliver('7');
    expect(problems).toEqual([
      undefined,
      undefined,
      'retrying t:0 for 0 s (2 failed attempts, transient): 55P03 canceling statement due to lock timeout',
    ]);
    expect(t.consumer.problem()).toBeUndefined();
    expect(t.kafkaConsumers[0].committed).toEqual(['8']);
  });

  it('a batch given up while retrying (consumer stopping) is no longer reported', async () => {
    let running = true;
    const t = setUp({
      maxRetryAttempts: 1,
      handle: () => {
        running = false; // stop() began during the attempt
        return Promise.reject(pgError('57014', 'canceling statement due to statement timeout'));
      },
    });
    await t.consumer.start();
    const k = t.kafkaConsumers[0];
    k.joined();
    const deliver = k.eachBatch!({
      batch: {
        topic: 't',
        partition: 0,
        highWatermark: '9',
        messages: [{ key: null, value: Buffer.from('{}'), headers: {}, offset: '7', timestamp: '0' }],
        lastOffset: () => '7',
      },
      isRunning: () => running,
      isStale: () => false,
      heartbeat: () => Promise.resolve(),
      resolveOffset: () => undefined,
      commitOffsetsIfNecessary: () => Promise.resolve(),
    });
    await new Promise((r) => setTimeout(r, 50)); // in its back-off: reported
    expect(t.consumer.problem()).toBe(
      'retrying t:0 for 0 s (1 failed attempts, transient): 57014 canceling statement due to statement timeout',
    );
    await deliver;
    expect(t.consumer.problem()).toBeUndefined();
    expect(k.committed).toEqual([]);
  });

  it('a non-transient failure counts as kind crash', async () => {
    const metrics = new Metrics(false);
    const t = setUp({ metrics, handle: () => Promise.reject(new TypeError('bug')) });
    await t.consumer.start();
    t.kafkaConsumers[0].joined();
    await expect(t.kafkaConsumers[0].deliver('7')).rejects.toThrow('bug');
    expect(await lines(metrics, 'rp_ingest_batch_retries_total')).toEqual([
      'rp_ingest_batch_retries_total{topic="t",kind="crash"} 1',
    ]);
  });
});
