import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import type { Logger } from '@rp/observability';
import { BatchConsumer, MAX_FAILED_BATCHES, MAX_JOINING_MS } from './batch-consumer';

/**
 * The consumer's state machine around kafkajs' events, with a stand-in kafkajs consumer: the real broker
 * cases (start failing, recovering, draining on stop) are in tests/integration/ingest/consumer-lifecycle.
 */
class FakeKafkaConsumer extends EventEmitter {
  readonly events = { GROUP_JOIN: 'group_join', CRASH: 'crash' };
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
  /** Hands one batch of one message at `offset` to the consumer, as kafkajs' runner would. */
  deliver(offset: string) {
    return this.eachBatch!({
      batch: {
        topic: 't',
        partition: 0,
        highWatermark: '100',
        messages: [{ key: null, value: Buffer.from('{}'), headers: {}, offset, timestamp: '0' }],
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
  joined() {
    this.emit(this.events.GROUP_JOIN, { payload: {} });
  }
  crashed(message: string, restart: boolean) {
    this.emit(this.events.CRASH, { payload: { error: new Error(message), restart } });
  }
}

const silent: Logger = { error() {}, warn() {}, info() {}, debug() {} } as unknown as Logger;

function setUp(o: { maxJoiningMs?: number; handle?: () => Promise<void> } = {}) {
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
