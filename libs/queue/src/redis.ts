import IORedis, { type Redis, type RedisOptions } from 'ioredis';

/**
 * ioredis connection for BullMQ. `maxRetriesPerRequest: null` is what BullMQ requires for workers'
 * blocking connections; reconnects forever with capped back-off so workers recover after an outage.
 */
export function createRedis(url: string, extra: RedisOptions = {}): Redis {
  return new IORedis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(200 * times, 5000),
    ...extra,
  });
}

/** PING with its own short-lived failure: a health check must not queue forever. */
export async function pingRedis(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') throw new Error(`connection ${redis.status}`);
  const pong = await redis.ping();
  if (pong !== 'PONG') throw new Error(`unexpected reply ${String(pong)}`);
}
