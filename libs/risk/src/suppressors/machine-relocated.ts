import type { SuppressorResult } from '../model/decision';
import type { LocationFix, MachineState } from '../model/machine-state';
import { serviceAreaOf, type EffectiveRules } from '../rules/resolve-rules';
import type { ServiceArea } from '../rules/rule-set.schema';
import { machineAsOf } from '../support/as-of';
import { distanceKm } from '../support/geo';
import { lastOf } from '../support/lists';
import { makeSuppression, notSuppressed, suppressed } from '../support/make-suppression';
import { gt } from '../support/numbers';
import { DAY_MS, isoDate, isoInstant, nextAfter, wholeDays } from '../support/time';

const kmFrom = (area: ServiceArea, fix: LocationFix) => distanceKm(area.lat, area.lon, fix.lat, fix.lon);

/**
 * MACHINE_RELOCATED: the latest fixes lie outside the branch's service area (centre + radius) and the
 * first fix of that run is more than outsideDays old. Branches without a configured area never relocate.
 */
export function checkMachineRelocated(
  state: MachineState,
  asOfMs: number,
  rules: EffectiveRules,
): SuppressorResult {
  const m = machineAsOf(state, asOfMs);
  const area = serviceAreaOf(rules, m.branchId);
  const last = lastOf(m.locations);
  if (area === undefined || last === undefined || !gt(kmFrom(area, last), area.radiusKm))
    return notSuppressed();

  let first = m.locations.length - 1;
  while (first > 0 && gt(kmFrom(area, m.locations[first - 1]), area.radiusKm)) first--;
  const since = m.locations[first];
  const outsideDays = rules.thresholds.machineRelocated.outsideDays;
  if (wholeDays(since.at, asOfMs) <= outsideDays) {
    return notSuppressed(nextAfter(asOfMs, since.at + (outsideDays + 1) * DAY_MS));
  }
  return suppressed(
    makeSuppression(
      m,
      {
        reasonCode: 'MACHINE_RELOCATED',
        episode: `since:${isoInstant(since.at)}`,
        message: `${m.serialNumber} outside the service area of ${m.branchId} since ${isoDate(since.at)} (${kmFrom(area, last).toFixed(1)} km from its centre)`,
        sinceMs: since.at,
        evidence: [since.eventId, last.eventId],
      },
      asOfMs,
      rules,
    ),
  );
}
