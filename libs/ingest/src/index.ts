export {
  BatchConsumer,
  type BatchContext,
  type BatchConsumerOptions,
  type ConsumerState,
} from './consumer/batch-consumer';
export { isTransient, backoffMs } from './consumer/transient';
export { deadLetter, type RawMessage, type Rejected } from './consumer/dead-letter';
export { parseBatch, type ParsedBatch } from './ingest-batch';
export { createIngestHandler, type IngestHandlerDeps } from './ingest-handler';
export { applyEvents, type ApplyResult } from './projections/apply-events';
export type { IngestEvent } from './projections/ingest-event';
export { timelineSummary } from './projections/timeline.projector';
