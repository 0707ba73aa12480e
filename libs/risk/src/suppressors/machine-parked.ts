import type { SuppressorResult } from '../model/decision';
import type { MachineState } from '../model/machine-state';
import type { EffectiveRules } from '../rules/resolve-rules';
import { machineAsOf } from '../support/as-of';
import { makeSuppression, notSuppressed, suppressed } from '../support/make-suppression';
import { firstReaching, latestReading, meterAt } from '../support/meter';
import { fmtHours } from '../support/numbers';
import { DAY_MS, isoDate, isoInstant, nextAfter } from '../support/time';

/**
 * MACHINE_PARKED: the hour meter has not risen by more than toleranceHours for flatDays: the first reading at
 * the current level (minus the tolerance) is at least flatDays old.
 */
export function checkMachineParked(
  state: MachineState,
  asOfMs: number,
  rules: EffectiveRules,
): SuppressorResult {
  const m = machineAsOf(state, asOfMs);
  const t = rules.thresholds.machineParked;
  const last = latestReading(m.readings);
  const meter = meterAt(m.readings, asOfMs);
  if (last === undefined || meter === undefined) return notSuppressed();
  const flatSince = firstReaching(m.readings, meter - t.toleranceHours) ?? last;
  const parkedAt = flatSince.at + t.flatDays * DAY_MS;
  if (asOfMs < parkedAt) return notSuppressed(nextAfter(asOfMs, parkedAt));
  return suppressed(
    makeSuppression(
      m,
      {
        reasonCode: 'MACHINE_PARKED',
        episode: `since:${isoInstant(flatSince.at)}`,
        message: `${m.serialNumber} parked: hour meter flat at ${fmtHours(meter)} h since ${isoDate(flatSince.at)}`,
        sinceMs: flatSince.at,
        evidence: [flatSince.eventId, last.eventId],
      },
      asOfMs,
      rules,
    ),
  );
}
