import type { SuppressorResult } from '../model/decision';
import type { MachineState } from '../model/machine-state';
import type { EffectiveRules } from '../rules/resolve-rules';
import { machineAsOf } from '../support/as-of';
import { makeSuppression, notSuppressed, suppressed } from '../support/make-suppression';
import { isoDate } from '../support/time';

/** MACHINE_SOLD: ownership transferred away from this customer; final, so no timer. */
export function checkMachineSold(
  state: MachineState,
  asOfMs: number,
  rules: EffectiveRules,
): SuppressorResult {
  const m = machineAsOf(state, asOfMs);
  if (m.sold === undefined) return notSuppressed();
  return suppressed(
    makeSuppression(
      m,
      {
        reasonCode: 'MACHINE_SOLD',
        episode: `sold:${m.sold.eventId}`,
        message: `${m.serialNumber} sold to ${m.sold.toCustomerId} on ${isoDate(m.sold.at)}`,
        sinceMs: m.sold.at,
        evidence: [m.sold.eventId],
      },
      asOfMs,
      rules,
    ),
  );
}
