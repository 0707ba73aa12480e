export { QueueName } from './queue-names';
export { createRedis, pingRedis } from './redis';
export { QueueModule, REDIS } from './queue.module';
export { RedisConnections, assertWorkerReady, isFinalFailure } from './worker-support';
export {
  clearForResend,
  ensureJobs,
  failedTransiently,
  toBulkJob,
  type Cleared,
  type IdentifiedJob,
} from './dead-jobs';
export {
  reclaimUnconfirmed,
  relayOutbox,
  relayOutboxPass,
  type OutboxSource,
  type RelayPass,
} from './outbox-relay';
export { RelayLoop, type RelayLoopOptions } from './relay-loop';
