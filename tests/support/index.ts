export { testConfig, isolatedEnv, uniqueSuffix } from './test-config';
export { waitFor } from './wait';
export { stack } from './stack';
export { startApp, runCli, LAUNCHER, type AppProcess } from './app-process';
export { ev, produceEvents, fleetHistory, kindOf, type Ev } from './events';
export { projectionChecksum, countProcessed } from './projections-db';
export { ingestHarness, type IngestHarness } from './ingest-runner';
export { readFromBeginning, type ReadMessage } from './kafka-read';
export { useMigratedSchema } from './migrated-schema';
