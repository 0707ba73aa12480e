import type { DataSource } from 'typeorm';
import { DEFAULT_VALUE_SETTINGS, loadRiskState, RiskRuntime, type RiskRuntimeOptions } from '@rp/ingest';
import { createLogger } from '@rp/observability';
import { DEFAULT_RULE_SET } from '@rp/risk';

/**
 * The ingest role's risk loop over one topic, default rules, watermark without lateness, silent logger:
 * `loop` (quietMs, tickMs, readAll…) and `step` (e.g. sweepLagMs) as the test needs.
 */
export function testRiskRuntime(
  ds: DataSource,
  decisionsTopic: string,
  topic: string,
  loop: Pick<RiskRuntimeOptions, 'quietMs'> & Partial<Pick<RiskRuntimeOptions, 'tickMs' | 'readAll'>>,
  step: Partial<Pick<RiskRuntimeOptions['step'], 'sweepLagMs'>> = {},
): RiskRuntime {
  return new RiskRuntime({
    ds,
    decisionsTopic,
    step: {
      engine: { ruleSet: DEFAULT_RULE_SET, value: DEFAULT_VALUE_SETTINGS, loadState: loadRiskState },
      topics: [topic],
      allowedLatenessMs: 0,
      ...step,
    },
    logger: createLogger('silent'),
    ...loop,
  });
}
