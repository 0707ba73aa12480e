import type { RuleSet } from './rule-set.schema';

/** The defaults of PRODUCT.md. Copy as JSON (`JSON.stringify(DEFAULT_RULE_SET, null, 2)`) to make a new version. */
export const DEFAULT_RULE_SET: RuleSet = deepFreeze<RuleSet>({
  id: 'default',
  version: '1',
  description: 'PRODUCT.md defaults',
  thresholds: {
    service: { intervalHours: 500, maintenanceKinds: ['maintenance'], usageRateWindowDays: 90 },
    warrantyEndingUncovered: { withinDays: 90, withinHours: 250 },
    // maxDays: only for a machine whose meter does not move (no cap on the own-rate interval).
    postWarrantyNoService: { minDays: 120, maxDays: 365 },
    maintenanceOverdue: { factor: 1.1, runningWithinDays: 30 },
    activeButSilent: { minFleetHours: 50, fleetWindowDays: 30, silentDays: 42 },
    purchaseGap: { minDays: 42, quantile: 0.9, minPurchases: 2 },
    aliveProbabilityDrop: { below: 0.5, drop: 0.3, windowDays: 90, minRepeatPurchases: 2 },
    spendErosion: { months: 6, maxSpendRatio: 0.5, minHoursRatio: 0.8 },
    selfMaintenanceShift: { windowDays: 365, categories: ['maintenance-kit', 'filters'] },
    detractor: { maxNps: 6, maxCes: 3, maxCsat: 2, closeLoopHours: 48, maxAgeDays: 30 },
    badServiceExperience: {
      complaintOpenDays: 7,
      repeatRepairCount: 2,
      repeatRepairWindowDays: 30,
      repairKinds: ['repair', 'warranty-repair'],
      downtimeDays: 5,
      maxAgeDays: 30,
    },
    faultWithoutVisit: {
      severities: ['high', 'critical'],
      repeatCount: 3,
      repeatWindowDays: 7,
      visitWithinDays: 14,
    },
    machineParked: { flatDays: 60, toleranceHours: 0 },
    machineRelocated: { outsideDays: 30 },
    notReporting: { silentDays: 14 },
  },
});

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (typeof v === 'object' && v !== null) deepFreeze(v as object);
  return Object.freeze(value);
}
