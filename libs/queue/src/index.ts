export { QueueName } from './queue-names';
export { createRedis, pingRedis } from './redis';
export { QueueModule, REDIS } from './queue.module';
export { RedisConnections, assertWorkerReady, isFinalFailure } from './worker-support';
