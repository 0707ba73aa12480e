export { parsePosition, describePosition, ReplayOptionError, type Position } from './plan/position';
export {
  planRanges,
  resolvePlan,
  readOffsets,
  type PartitionRange,
  type PartitionOffsets,
} from './plan/plan';
export {
  ReplayJob,
  replaySchema,
  checkReplayName,
  versionOf,
  type ReplayParams,
  type ReplayEnv,
  type ReplayOutcome,
} from './run/replay-job';
export { progressSink, silentProgress, type ProgressSink } from './run/progress';
export { readRun, type ReplayRun, type ReplayMode } from './run/run-store';
export {
  buildReplayReport,
  checkReportDealer,
  type ReplayReport,
  type Count,
  type ReasonDiff,
} from './report/replay-report';
export { formatReplayReport } from './report/format-report';
export { table, fmt, pct } from './report/table';
export {
  runBacktest,
  cutoffsOf,
  planCutoffs,
  type BacktestOptions,
  type BacktestResult,
  type CutoffWindow,
} from './backtest/run-backtest';
export { formatBacktest } from './backtest/format-backtest';
export {
  scoreBacktest,
  unitKey,
  type Score,
  type BacktestScores,
  type CutoffCase,
  type Flag,
  type Unit,
} from './backtest/metrics';
export { loadPopulation, truthLabels, type GroundTruth, type PopulationUnit } from './backtest/population';
export { rebuildLive, archiveSchemaOf, type RebuildOutcome } from './rebuild/rebuild';
export { specDifferences, ruleSetHash, canonicalJson } from './run/resume-check';
export { KEPT_TABLES, projectionTables } from './rebuild/swap';
