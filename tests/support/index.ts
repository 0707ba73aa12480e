export { testConfig, isolatedEnv, uniqueSuffix } from './test-config';
export { waitFor } from './wait';
export { stack } from './stack';
export { startApp, runCli, type AppProcess } from './app-process';
