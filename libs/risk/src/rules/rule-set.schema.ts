import { z } from 'zod';
import { FAULT_SEVERITIES, PARTS_CATEGORIES, WORK_ORDER_KINDS } from '@rp/contracts';
import { REASON_CODES, SUPPRESSION_CODES } from '../model/reason-codes';

// The rule-set document data teams copy and edit as JSON. Strict objects: a misspelt field is an error,
// not a silently ignored default. Every threshold must be present in `thresholds`, so a version pins its
// behaviour even if the code's defaults change later; `perDealer` overrides are partial.

/**
 * Longest window in days a rule may look back. The pipeline hands the rules 36 months of history behind every
 * instant it evaluates (ingest's DEFAULT_HISTORY_MONTHS, at least 1,095 days); a longer window would silently
 * see less than it asks for, so a document that sets one is rejected instead.
 */
export const MAX_WINDOW_DAYS = 1000;
const days = z
  .int()
  .positive()
  .max(MAX_WINDOW_DAYS, `must be <= ${MAX_WINDOW_DAYS} days (the rules see 36 months of history)`);
const hours = z.number().positive();
const ratio = z.number().min(0).max(1);
const identifier = z.string().min(1).max(128);

const thresholdGroups = {
  /** Shared by MAINTENANCE_OVERDUE and POST_WARRANTY_NO_SERVICE. */
  service: z.strictObject({
    intervalHours: hours,
    maintenanceKinds: z.array(z.enum(WORK_ORDER_KINDS)).min(1),
    usageRateWindowDays: days,
  }),
  warrantyEndingUncovered: z.strictObject({ withinDays: days, withinHours: hours }),
  /**
   * Due at expiry + max(minDays, time to the next service interval at the machine's own rate), uncapped.
   * `maxDays` (kept for existing documents; still >= minDays): the wait for a machine whose meter does not
   * move (rate zero), which would otherwise never be due. It no longer caps a slow machine's wait.
   */
  postWarrantyNoService: z.strictObject({ minDays: days, maxDays: days }),
  maintenanceOverdue: z.strictObject({ factor: z.number().min(1), runningWithinDays: days }),
  activeButSilent: z.strictObject({ minFleetHours: hours, fleetWindowDays: days, silentDays: days }),
  purchaseGap: z.strictObject({
    minDays: days,
    quantile: z.number().gt(0).max(1),
    minPurchases: z.int().min(2),
  }),
  aliveProbabilityDrop: z.strictObject({
    below: ratio,
    drop: ratio,
    windowDays: days,
    minRepeatPurchases: z.int().min(0),
  }),
  spendErosion: z.strictObject({
    months: z.int().min(1).max(12),
    maxSpendRatio: ratio,
    minHoursRatio: z.number().min(0),
  }),
  selfMaintenanceShift: z.strictObject({
    windowDays: days,
    categories: z.array(z.enum(PARTS_CATEGORIES)).min(1),
  }),
  detractor: z.strictObject({
    maxNps: z.int().min(0).max(10),
    maxCes: z.int().min(1).max(7),
    maxCsat: z.int().min(1).max(5),
    closeLoopHours: hours,
    maxAgeDays: days,
  }),
  badServiceExperience: z.strictObject({
    complaintOpenDays: days,
    repeatRepairCount: z.int().min(2),
    repeatRepairWindowDays: days,
    repairKinds: z.array(z.enum(WORK_ORDER_KINDS)).min(1),
    downtimeDays: days,
    maxAgeDays: days,
  }),
  faultWithoutVisit: z.strictObject({
    severities: z.array(z.enum(FAULT_SEVERITIES)).min(1),
    repeatCount: z.int().min(1),
    repeatWindowDays: days,
    visitWithinDays: days,
  }),
  machineParked: z.strictObject({ flatDays: days, toleranceHours: z.number().min(0) }),
  machineRelocated: z.strictObject({ outsideDays: days }),
  notReporting: z.strictObject({ silentDays: days }),
};

export const thresholdsSchema = z.strictObject(thresholdGroups);

/** Per-dealer overrides: any group, any field of it. */
export const thresholdOverridesSchema = z.strictObject({
  service: thresholdGroups.service.partial().optional(),
  warrantyEndingUncovered: thresholdGroups.warrantyEndingUncovered.partial().optional(),
  postWarrantyNoService: thresholdGroups.postWarrantyNoService.partial().optional(),
  maintenanceOverdue: thresholdGroups.maintenanceOverdue.partial().optional(),
  activeButSilent: thresholdGroups.activeButSilent.partial().optional(),
  purchaseGap: thresholdGroups.purchaseGap.partial().optional(),
  aliveProbabilityDrop: thresholdGroups.aliveProbabilityDrop.partial().optional(),
  spendErosion: thresholdGroups.spendErosion.partial().optional(),
  selfMaintenanceShift: thresholdGroups.selfMaintenanceShift.partial().optional(),
  detractor: thresholdGroups.detractor.partial().optional(),
  badServiceExperience: thresholdGroups.badServiceExperience.partial().optional(),
  faultWithoutVisit: thresholdGroups.faultWithoutVisit.partial().optional(),
  machineParked: thresholdGroups.machineParked.partial().optional(),
  machineRelocated: thresholdGroups.machineRelocated.partial().optional(),
  notReporting: thresholdGroups.notReporting.partial().optional(),
});

/**
 * How decisions are valued (PRODUCT "Value and priority"). Every field optional, here and per dealer: what a
 * document leaves out keeps the pipeline's defaults (ingest's DEFAULT_VALUE_SETTINGS: margin rates parts 0.25,
 * labour 0.6; discount rate 0.1; default retention 0.7; baseline margin 1,000 per machine; reason weights
 * coverage 1, lapse 1.2, experience 1.5, technical 1). A document that sets them pins them for its version.
 */
export const valueOverridesSchema = z.strictObject({
  /** Gross-margin rates (fraction of revenue) for parts and labour lines that carry no grossProfit. */
  marginRates: z.strictObject({ parts: ratio, labour: ratio }).partial().optional(),
  /** d in CLV = m·r / (1 + d − r); above 0, so a customer certain to stay (r = 1) has a finite value. */
  discountRate: z.number().gt(0).max(1).optional(),
  /** Retention probability of a customer without a BG/NBD estimate. */
  defaultRetention: ratio.optional(),
  /** Yearly margin of a machine whose owner has no purchase history at the dealer. */
  baselineMarginPerMachine: z.number().min(0).optional(),
  /** Priority weight of each reason family. */
  reasonWeights: z
    .strictObject({
      coverage: z.number().positive(),
      lapse: z.number().positive(),
      experience: z.number().positive(),
      technical: z.number().positive(),
    })
    .partial()
    .optional(),
});

const perModel = z.record(identifier, z.strictObject({ serviceIntervalHours: hours }));

export const serviceAreaSchema = z.strictObject({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  radiusKm: z.number().positive(),
});
const serviceAreas = z.record(identifier, serviceAreaSchema);
const disabled = z.array(z.enum([...REASON_CODES, ...SUPPRESSION_CODES]));

export const ruleSetSchema = z
  .strictObject({
    id: identifier,
    version: z.string().min(1).max(64),
    description: z.string().optional(),
    thresholds: thresholdsSchema,
    perModel: perModel.optional(),
    serviceAreas: serviceAreas.optional(),
    disabled: disabled.optional(),
    value: valueOverridesSchema.optional(),
    perDealer: z
      .record(
        identifier,
        z.strictObject({
          thresholds: thresholdOverridesSchema.optional(),
          perModel: perModel.optional(),
          serviceAreas: serviceAreas.optional(),
          disabled: disabled.optional(),
          value: valueOverridesSchema.optional(),
        }),
      )
      .optional(),
  })
  .superRefine((doc, ctx) => {
    const check = (t: Thresholds, path: (string | number)[]) => {
      const pw = t.postWarrantyNoService;
      if (pw.maxDays < pw.minDays) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, 'postWarrantyNoService', 'maxDays'],
          message: `must be >= postWarrantyNoService.minDays (${pw.minDays})`,
        });
      }
    };
    check(doc.thresholds, ['thresholds']);
    for (const [dealerId, d] of Object.entries(doc.perDealer ?? {})) {
      if (d.thresholds)
        check(mergeThresholds(doc.thresholds, d.thresholds), ['perDealer', dealerId, 'thresholds']);
    }
  });

/** Base thresholds with a dealer's partial overrides applied group by group. */
export function mergeThresholds(base: Thresholds, overrides: ThresholdOverrides | undefined): Thresholds {
  if (!overrides) return base;
  const merged: Record<string, unknown> = { ...base };
  for (const [group, values] of Object.entries(overrides)) {
    merged[group] = { ...(base as Record<string, object>)[group], ...values };
  }
  return merged as Thresholds;
}

/** Value overrides merged over others, field by field (margin rates and reason weights per entry). */
export function mergeValue(base: ValueOverrides, overrides: ValueOverrides | undefined): ValueOverrides {
  if (!overrides) return base;
  return {
    ...base,
    ...overrides,
    marginRates: { ...base.marginRates, ...overrides.marginRates },
    reasonWeights: { ...base.reasonWeights, ...overrides.reasonWeights },
  };
}

export type ValueOverrides = z.output<typeof valueOverridesSchema>;
export type Thresholds = z.output<typeof thresholdsSchema>;
export type ThresholdOverrides = z.output<typeof thresholdOverridesSchema>;
export type ServiceArea = z.output<typeof serviceAreaSchema>;
export type RuleSet = z.output<typeof ruleSetSchema>;
