import { Global, Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ApiModule, createApiToken } from '@rp/api';
import { APP_CONFIG, type AppConfig } from '@rp/config';
import { createLogger, LOGGER } from '@rp/observability';

export interface ApiApp {
  /** GET on the API with an admin token of `dealerId`. */
  get: (dealerId: string, path: string) => Promise<{ status: number; body: Record<string, unknown> }>;
  close: () => Promise<void>;
}

/**
 * The real API module (controllers, bearer guard, task service) in this process on the test's schema,
 * listening on a free loopback port. Kafka is a stand-in that accepts and drops sends: these tests read
 * tasks only and publish no outcome.
 */
export async function startApiApp(ds: DataSource, config: AppConfig): Promise<ApiApp> {
  const noKafka = {
    producer: () => ({
      connect: () => Promise.resolve(),
      send: () => Promise.resolve([]),
      disconnect: () => Promise.resolve(),
    }),
  };
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', {}, process.env.TEST_LOG_FILE);

  @Global()
  @Module({
    providers: [
      { provide: DataSource, useValue: ds },
      { provide: APP_CONFIG, useValue: config },
      { provide: LOGGER, useValue: logger },
      { provide: Kafka, useValue: noKafka },
    ],
    exports: [DataSource, APP_CONFIG, LOGGER, Kafka],
  })
  class TestInfraModule {}

  const moduleRef = await Test.createTestingModule({ imports: [TestInfraModule, ApiModule] }).compile();
  const app: INestApplication = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const tokens = new Map<string, string>();
  return {
    get: async (dealerId, path) => {
      let token = tokens.get(dealerId);
      if (!token) {
        token = (await createApiToken(ds, { role: 'admin', dealerId })).token;
        tokens.set(dealerId, token);
      }
      const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    close: () => app.close(),
  };
}
