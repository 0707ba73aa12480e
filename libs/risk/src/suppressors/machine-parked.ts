import type { SuppressorResult } from '../model/decision';
import type { MachineState } from '../model/machine-state';
import type { EffectiveRules } from '../rules/resolve-rules';
import { machineAsOf } from '../support/as-of';
import { makeSuppression, notSuppressed, suppressed } from '../support/make-suppression';
import { firstReaching, lastReaching, meterAt } from '../support/meter';
import { fmtHours } from '../support/numbers';
import { DAY_MS, isoDate, isoInstant } from '../support/time';

/**
 * MACHINE_PARKED: the hour meter has not risen by more than toleranceHours for flatDays, as readings show: the
 * first reading at the current level (minus the tolerance) and a reading at that level at least flatDays later.
 * A unit that went dark shows nothing (NOT_REPORTING is that flag): without a later reading the meter is not
 * known to be flat, however old the last one is. Only a new reading can park the machine, so no timer.
 */
export function checkMachineParked(
  state: MachineState,
  asOfMs: number,
  rules: EffectiveRules,
): SuppressorResult {
  const m = machineAsOf(state, asOfMs);
  const t = rules.thresholds.machineParked;
  const meter = meterAt(m.readings, asOfMs);
  if (meter === undefined) return notSuppressed();
  const level = meter - t.toleranceHours;
  const flatSince = firstReaching(m.readings, level);
  const flatTo = lastReaching(m.readings, level);
  if (flatSince === undefined || flatTo === undefined) return notSuppressed();
  if (flatTo.at - flatSince.at < t.flatDays * DAY_MS) return notSuppressed();
  return suppressed(
    makeSuppression(
      m,
      {
        reasonCode: 'MACHINE_PARKED',
        episode: `since:${isoInstant(flatSince.at)}`,
        message: `${m.serialNumber} parked: hour meter flat at ${fmtHours(meter)} h since ${isoDate(flatSince.at)}`,
        sinceMs: flatSince.at,
        evidence: [flatSince.eventId, flatTo.eventId],
      },
      asOfMs,
      rules,
    ),
  );
}
