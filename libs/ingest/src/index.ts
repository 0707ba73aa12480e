export {
  BatchConsumer,
  INGEST_FETCH,
  type BatchContext,
  type BatchConsumerOptions,
  type ConsumerState,
} from './consumer/batch-consumer';
export { preparing } from './projections/prepared';
export { isTransient, backoffMs } from '@rp/database';
export { deadLetter, INGEST_PRODUCER, type RawMessage, type Rejected } from './consumer/dead-letter';
export { parseBatch, type ParsedBatch } from './ingest-batch';
export { createIngestHandler, type IngestHandlerDeps } from './ingest-handler';
export {
  applyEvents,
  isKnownEventKey,
  type ApplyOptions,
  type ApplyResult,
} from './projections/apply-events';
export { arrayLiteral } from './projections/sql';
export type { IngestEvent } from './projections/ingest-event';
export { timelineSummary } from './projections/timeline.projector';
export { scheduleRisk, sweepDue, fireUpTo, timersDueBy, type RiskStepOptions } from './risk/risk-step';
export { snapshotEvaluationAt, DEFAULT_TELEMATICS_EVALUATION_MS } from './risk/schedule';
export { fireDueTimers, type RiskEngine, type LoadState, type ValuedDecision } from './risk/fire-timers';
export {
  valueDecision,
  valueSettingsOf,
  fleetFactsAt,
  DEFAULT_VALUE_SETTINGS,
  type FleetFacts,
  type ValueSettings,
  type DecisionValue,
} from './risk/decision-value';
export { quietWatermark } from './risk/wall-clock';
export { readWatermark } from './risk/watermark';
export { publishDecisions } from './risk/outbox-publisher';
export { loadRuleSet } from './risk/rule-set-source';
export { RiskRuntime, type RiskRuntimeOptions } from './risk/risk-runtime';
export {
  loadRiskState,
  DEFAULT_HISTORY_MONTHS,
  RISK_STATE_QUERIES,
  type LoadRiskStateOptions,
  type CustomerRiskState,
} from './risk-state/load-risk-state';
export { registerPartitions } from './risk/watermark';
export { AliveModels, aliveModelFor, aliveHistory, modelCutoff } from './risk/alive-model';
