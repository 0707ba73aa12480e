import type { SuppressorResult } from '../model/decision';
import type { MachineState } from '../model/machine-state';
import type { EffectiveRules } from '../rules/resolve-rules';
import { machineAsOf } from '../support/as-of';
import { makeSuppression, notSuppressed, suppressed } from '../support/make-suppression';
import { DAY_MS, isoDate, nextAfter, wholeDays } from '../support/time';

/**
 * NOT_REPORTING: the last telematics snapshot is at least silentDays old. A machine that never reported has
 * no telematics unit: not a data-quality problem, not suppressed.
 */
export function checkNotReporting(
  state: MachineState,
  asOfMs: number,
  rules: EffectiveRules,
): SuppressorResult {
  const m = machineAsOf(state, asOfMs);
  const last = m.lastTelematics;
  if (last === undefined) return notSuppressed();
  const silentDays = rules.thresholds.notReporting.silentDays;
  if (wholeDays(last.at, asOfMs) < silentDays)
    return notSuppressed(nextAfter(asOfMs, last.at + silentDays * DAY_MS));
  return suppressed(
    makeSuppression(
      m,
      {
        reasonCode: 'NOT_REPORTING',
        episode: `silent:${last.eventId}`,
        message: `${m.serialNumber} not reporting: no telematics since ${isoDate(last.at)}`,
        sinceMs: last.at,
        evidence: [last.eventId],
      },
      asOfMs,
      rules,
    ),
  );
}
