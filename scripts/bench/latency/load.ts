import type { Message, Producer } from 'kafkajs';
import type { Outgoing, TopicKind } from './stream';

type Topics = Record<TopicKind, string>;

/** Sends events in one sendBatch (acks -1), grouped by topic. */
export async function sendAll(producer: Producer, topics: Topics, events: Outgoing[]): Promise<void> {
  const by = new Map<string, Message[]>();
  for (const e of events) by.set(topics[e.kind], [...(by.get(topics[e.kind]) ?? []), e.message]);
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...by].map(([topic, messages]) => ({ topic, messages })),
  });
}

/**
 * A steady stream at `rate` events/s: every `tickMs` it sends the events due since the start, each
 * stamped with the wall time it is sent. At most `inFlight` batches wait for the broker; a tick that
 * finds them all busy leaves its events to the next one, so the rate holds on average.
 */
export class SteadyLoad {
  private timer?: NodeJS.Timeout;
  private readonly pending = new Set<Promise<void>>();
  private started = 0;
  private inFlightCount = 0;
  sent = 0;
  failure?: Error;

  constructor(
    private readonly producer: Producer,
    private readonly topics: Topics,
    private readonly next: (atMs: number) => Outgoing,
    private readonly rate: number,
    private readonly o: { tickMs?: number; inFlight?: number } = {},
  ) {}

  start(): void {
    this.started = performance.now();
    this.timer = setInterval(() => this.tick(), this.o.tickMs ?? 20);
  }

  /** Achieved rate so far (events/s). */
  achieved(): number {
    return this.sent / ((performance.now() - this.started) / 1000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.pending);
    if (this.failure) throw this.failure;
  }

  private tick(): void {
    if (this.pending.size >= (this.o.inFlight ?? 4)) return;
    const due = Math.floor(((performance.now() - this.started) / 1000) * this.rate);
    const n = due - this.sent - this.inFlightCount;
    if (n <= 0) return;
    const now = Date.now();
    const batch = Array.from({ length: n }, () => this.next(now));
    this.inFlightCount += n;
    const p = sendAll(this.producer, this.topics, batch)
      .then(() => {
        this.sent += n;
      })
      .catch((err: unknown) => {
        this.failure ??= err instanceof Error ? err : new Error(String(err));
      })
      .finally(() => {
        this.inFlightCount -= n;
        this.pending.delete(p);
      });
    this.pending.add(p);
  }
}
