import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka, type Admin } from 'kafkajs';
import { APP_CONFIG, type AppConfig } from '@rp/config';
import { LOGGER, type Logger } from '@rp/observability';
import { createKafka } from './kafka-client';

export const KAFKA_ADMIN = Symbol('KAFKA_ADMIN');

/** Provides the kafkajs client and a connected admin client (health, topic checks). */
@Global()
@Module({})
export class KafkaModule implements OnApplicationShutdown {
  constructor(@Inject(KAFKA_ADMIN) private readonly admin: Admin) {}

  static forRoot(): DynamicModule {
    return {
      module: KafkaModule,
      providers: [
        {
          provide: Kafka,
          inject: [APP_CONFIG, LOGGER],
          useFactory: (c: AppConfig, logger: Logger) => createKafka(c.kafka, logger),
        },
        {
          provide: KAFKA_ADMIN,
          inject: [Kafka],
          useFactory: async (kafka: Kafka) => {
            const admin = kafka.admin({ retry: { retries: 1 } });
            await admin.connect();
            return admin;
          },
        },
      ],
      exports: [Kafka, KAFKA_ADMIN],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin.disconnect();
  }
}
