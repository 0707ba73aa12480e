import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { ApiModule, createApiToken } from '@rp/api';
import { ConfigModule } from '@rp/config';
import { createDataSource, DatabaseModule } from '@rp/database';
import { KafkaModule } from '@rp/kafka';
import { createLogger, Metrics, ObservabilityModule } from '@rp/observability';
import { testConfig } from '../../support';

/** The API module served in-process over real HTTP, on its own migrated schema of the local stack. */
export interface ApiHarness {
  ds: DataSource;
  get: (token: string, path: string) => Promise<{ status: number; body: Record<string, unknown> }>;
  token: (dealerId: string, branchId?: string) => Promise<string>;
  close: () => Promise<void>;
}

export async function startApiHarness(env: Record<string, string> = {}): Promise<ApiHarness> {
  const config = testConfig({ ROLES: 'api', MIGRATE_ON_BOOT: 'true', ...env });
  const logger = createLogger('warn');
  @Module({
    imports: [
      ConfigModule.forRoot(config),
      ObservabilityModule.forRoot(logger, new Metrics(false)),
      DatabaseModule.forRoot(),
      KafkaModule.forRoot(),
      ApiModule,
    ],
  })
  class HarnessModule {}
  const app: INestApplication = await NestFactory.create(HarnessModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const ds = app.get(DataSource);
  return {
    ds,
    get: async (token, path) => {
      const res = await fetch(`${url.replace('[::1]', '127.0.0.1')}${path}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    token: async (dealerId, branchId) =>
      (
        await createApiToken(ds, {
          role: branchId === undefined ? 'admin' : 'manager',
          dealerId,
          branchId,
        })
      ).token,
    close: async () => {
      await app.close();
      const admin = createDataSource({ ...config.database, poolSize: 1 });
      await admin.initialize();
      await admin.query(`DROP SCHEMA IF EXISTS ${config.database.schema} CASCADE`);
      await admin.destroy();
    },
  };
}
