import { Inject, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Kafka, type Admin, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { APP_CONFIG, dlqTopic, inputTopics, type AppConfig } from '@rp/config';
import { backoffMs } from '@rp/database';
import {
  BatchConsumer,
  createIngestHandler,
  DEFAULT_VALUE_SETTINGS,
  INGEST_PRODUCER,
  loadRiskState,
  loadRuleSet,
  registerPartitions,
  RiskRuntime,
  type RiskStepOptions,
} from '@rp/ingest';
import { groupReadAll, KAFKA_ADMIN, listPartitions } from '@rp/kafka';
import { HealthRegistry, LOGGER, Metrics, type Logger } from '@rp/observability';

type IngestHandler = ReturnType<typeof createIngestHandler>;

const RESTART_AFTER_CRASH_MS = 5_000;
/** Longest wait between two attempts to start the consumer (Kafka unreachable): it never gives up. */
const MAX_START_BACKOFF_MS = 30_000;

/** The `ingest` role: consumes the input topics into Postgres projections (dead-letters bad input). */
@Module({})
export class IngestRoleModule implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private consumer?: BatchConsumer;
  private producer?: Producer;
  private runtime?: RiskRuntime;
  private stopping = false;
  private wakeRetry?: () => void;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(KAFKA_ADMIN) private readonly admin: Admin,
    @Inject(Kafka) private readonly kafka: Kafka,
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly health: HealthRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const topics = inputTopics(this.config.topics);
    const existing = new Set(await this.admin.listTopics());
    // Without its dead-letter topic, the first rejected event would fail its batch again and again.
    for (const [kind, wanted] of [
      ['input', topics],
      ['dead-letter', topics.map(dlqTopic)],
    ] as const) {
      const missing = wanted.filter((t) => !existing.has(t));
      if (missing.length) {
        throw new Error(`ingest: ${kind} topics missing: ${missing.join(', ')} (run the "topics" command)`);
      }
    }
    this.producer = this.kafka.producer(INGEST_PRODUCER);
    await this.producer.connect();
    this.health.register('ingest', () => {
      const c = this.consumer;
      const problem = c ? c.problem() : 'consumer not started';
      return problem ? Promise.reject(new Error(problem)) : Promise.resolve({ state: c!.state });
    });
    const risk = this.riskOptions();
    const handle = this.createHandler(risk);
    if (risk) await this.registerStream(topics, handle);
    await this.startConsumer(handle);
    if (risk) {
      this.runtime = new RiskRuntime({
        ds: this.ds,
        producer: this.producer,
        decisionsTopic: this.config.topics.decisions,
        step: risk,
        quietMs: this.config.risk.quietMs,
        maxQuietAdvanceMs: this.config.risk.maxQuietAdvanceMs,
        logger: this.logger,
        readAll: () => groupReadAll(this.admin, this.config.kafka.groupId, topics),
      });
      this.runtime.start();
      // Sweeps failing tick after tick: down, with the last error.
      this.health.register('risk', () => {
        const problem = this.runtime?.problem();
        return problem ? Promise.reject(new Error(problem)) : Promise.resolve({ loop: 'running' });
      });
      // Nothing reaching retention.decisions (failing or hung sends, a decision waiting too long): down.
      const runtime = this.runtime;
      this.health.register('decisions-publisher', () => runtime.publisherHealth());
    }
    this.logger.info(
      { role: 'ingest', topics, ruleSet: risk && `${risk.engine.ruleSet.id}@${risk.engine.ruleSet.version}` },
      'role started',
    );
  }

  private riskOptions(): RiskStepOptions | undefined {
    if (!this.config.risk.enabled) return undefined;
    return {
      engine: {
        ruleSet: loadRuleSet(this.config.risk.ruleSetFile),
        value: DEFAULT_VALUE_SETTINGS,
        loadState: loadRiskState,
      },
      topics: inputTopics(this.config.topics),
      allowedLatenessMs: this.config.risk.allowedLatenessMs,
      telematicsEvaluationMs: this.config.risk.telematicsEvaluationMs,
    };
  }

  /**
   * Registers the input partitions with the detection clock before consuming. One the group has already read
   * to its end (detection switched on, or its tables added, after the stream was consumed) counts as caught
   * up: no batch may come for it until new traffic, and it must not hold time back until then.
   */
  private async registerStream(topics: string[], handle: IngestHandler): Promise<void> {
    const partitions = await listPartitions(this.admin, topics, this.config.kafka.groupId);
    await registerPartitions(
      this.ds,
      partitions.map((p) => ({ topic: p.topic, partition: p.partition, empty: p.readByGroup })),
    );
    // Rows registered earlier (detection on before) whose flag is stale: read to the end means caught up.
    for (const p of partitions) if (p.readByGroup && !p.empty) await handle.caughtUp(p.topic, p.partition);
  }

  private createHandler(risk: RiskStepOptions | undefined): IngestHandler {
    const t = this.config.topics;
    return createIngestHandler({
      ds: this.ds,
      producer: this.producer!,
      metrics: this.metrics,
      logger: this.logger,
      topicKinds: { [t.telematics]: 'telematics', [t.warranty]: 'warranty', [t.service]: 'service' },
      dlqTopicOf: dlqTopic,
      maxFutureSkewMs: this.config.ingest.maxFutureSkewMs,
      risk,
      // Caught up: the detection loop fires the due timers while the partition goes on consuming.
      onDue: () => this.runtime?.kick(),
    });
  }

  /** Creates the consumer and starts it: see startUntilRunning (resolves after the first attempt). */
  private async startConsumer(handle: IngestHandler): Promise<void> {
    const t = this.config.topics;
    this.consumer = new BatchConsumer(this.kafka, {
      groupId: this.config.kafka.groupId,
      topics: inputTopics(t),
      fromBeginning: true,
      partitionsConcurrently: this.config.ingest.concurrency,
      handle,
      onCaughtUp: handle.caughtUp,
      logger: this.logger,
      metrics: this.metrics, // lag, last commit, batch retries
      // kafkajs gave up on this consumer: never stay up looking healthy while consuming nothing.
      onFatal: () => {
        if (this.stopping) return;
        setTimeout(() => {
          if (this.stopping) return;
          this.logger.warn('restarting the ingest consumer after a crash');
          void this.startConsumer(handle);
        }, RESTART_AFTER_CRASH_MS);
      },
    });
    const consumer = this.consumer;
    const first = await this.tryStart(consumer, 0);
    if (!first) void this.startUntilRunning(consumer, 1);
  }

  /**
   * Retries starting the consumer with back-off for ever (Kafka briefly down must not leave the role
   * consuming nothing); meanwhile the consumer is `crashed` with the error, so /health reports it.
   */
  private async startUntilRunning(consumer: BatchConsumer, from: number): Promise<void> {
    for (let attempt = from; !this.stopping && this.consumer === consumer; attempt++) {
      await this.sleep(backoffMs(attempt - 1, MAX_START_BACKOFF_MS));
      if (this.stopping || this.consumer !== consumer) return;
      if (await this.tryStart(consumer, attempt)) return;
    }
  }

  private async tryStart(consumer: BatchConsumer, attempt: number): Promise<boolean> {
    try {
      await consumer.start();
      if (attempt > 0) this.logger.info({ attempt: attempt + 1 }, 'ingest consumer started');
      return true;
    } catch (err) {
      if (this.stopping) return true;
      this.logger.error(
        {
          err: err instanceof Error ? err.message : String(err),
          attempt: attempt + 1,
          retryInMs: backoffMs(attempt, MAX_START_BACKOFF_MS),
        },
        'ingest consumer failed to start, retrying',
      );
      return false;
    }
  }

  /** Waits, but wakes up at once on shutdown. */
  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakeRetry = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakeRetry = wake;
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    this.wakeRetry?.();
    await this.consumer?.stop();
    await this.runtime?.stop();
    await this.producer?.disconnect();
  }
}
