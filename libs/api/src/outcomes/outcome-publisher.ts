import {
  Inject,
  Injectable,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Kafka, type Producer, type ProducerConfig } from 'kafkajs';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '@rp/config';
import { HealthRegistry, LOGGER, LoopHealth, type Logger } from '@rp/observability';
import { oldestUnpublishedOutcomeMs, publishOutcomes } from './publish-outcomes';

/**
 * Idempotent: a send kafkajs retries after a lost acknowledgement is de-duplicated by the broker (producer
 * id + sequence numbers) instead of writing the outcome twice. kafkajs requires acks -1 for it (publishOutbox
 * sends with acks: -1) and one request in flight, so retried batches cannot be reordered. Retries stay
 * bounded (kafkajs' idempotent default is unbounded, which would keep the outbox rows leased and block
 * shutdown for as long as Kafka is down): after them the send fails, the rows stay unpublished and the
 * drain retries with back-off (at least once; consumers de-duplicate on x-outcome-id). kafkajs logs a
 * warning about the bounded retries once, when the producer is created.
 */
export const OUTCOMES_PRODUCER: ProducerConfig = {
  allowAutoTopicCreation: false,
  idempotent: true,
  maxInFlightRequests: 1,
  retry: { retries: 5 },
};

const POLL_MS = 1_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * Background loop of the api role: drains outcome rows of the outbox to Kafka. Polls (rows written by
 * other replicas) and is kicked right after a completion; a failure backs off and retries, never drops.
 */
@Injectable()
export class OutcomePublisher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private producer?: Producer;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopping = false;
  private readonly loop: LoopHealth;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Kafka) private readonly kafka: Kafka,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(LOGGER) logger: Logger,
    // Optional: test harnesses build ApiModule without the observability module.
    @Optional() private readonly registry?: HealthRegistry,
  ) {
    this.loop = new LoopHealth('outcomes publisher', logger);
  }

  /**
   * The `outcomes-publisher` probe: rejects naming the publisher and its error after 5 failed drains in a
   * row (or 60 s of failures), a drain running over 120 s, or an outcome waiting over 120 s to be published.
   */
  health(): Promise<Record<string, unknown>> {
    return this.loop.check(Date.now(), () => oldestUnpublishedOutcomeMs(this.ds));
  }

  async onApplicationBootstrap(): Promise<void> {
    // Registered here: the publisher runs exactly where ApiModule does (the api role), and @rp/api does not
    // export it for the role module to reach.
    this.registry?.register('outcomes-publisher', () => this.health());
    this.producer = this.kafka.producer(OUTCOMES_PRODUCER);
    await this.producer.connect();
    this.schedule(0);
  }

  /** Publish soon (after a completion), without waiting for the next poll. */
  kick(): void {
    if (this.stopping) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopping) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.drain().finally(() => {
        this.running = undefined;
        const failures = this.loop.streak.failures;
        const again = this.again;
        this.again = false;
        this.schedule(
          again ? 0 : failures ? Math.min(MAX_BACKOFF_MS, POLL_MS * 2 ** Math.min(failures, 30)) : POLL_MS,
        );
      });
    }, ms);
  }

  /**
   * Publishes batches until none is left. Each batch is a pass of the loop's health (a long backlog is
   * progress, not a hung pass); a failure is recorded and logged there (warn, then error once it persists).
   */
  private async drain(): Promise<void> {
    try {
      while (!this.stopping) {
        this.loop.started(Date.now());
        const n = await publishOutcomes(this.ds, this.producer!, this.config.topics.outcomes);
        this.loop.succeeded(Date.now());
        if (n === 0) break;
      }
    } catch (err) {
      this.loop.failed(err, Date.now());
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
    await this.producer?.disconnect();
  }
}
