import { RuleSetError } from '../errors';
import { DEFAULT_RULE_SET } from './default-rule-set';
import { parseRuleSet } from './parse-rule-set';
import { resolveRules, serviceIntervalHours } from './resolve-rules';

/** The default document as data teams get it: a JSON copy they can change. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- a JSON document to mangle
const copy = (): Record<string, any> => JSON.parse(JSON.stringify(DEFAULT_RULE_SET));

function problems(doc: unknown): readonly string[] {
  try {
    parseRuleSet(doc);
  } catch (e) {
    expect(e).toBeInstanceOf(RuleSetError);
    expect((e as RuleSetError).code).toBe('RULE_SET_INVALID');
    return (e as RuleSetError).problems;
  }
  throw new Error('expected a RuleSetError');
}

describe('rule set', () => {
  it('accepts its own default as JSON, unchanged', () => {
    expect(parseRuleSet(copy())).toEqual(DEFAULT_RULE_SET);
  });

  it('holds the PRODUCT.md defaults', () => {
    const t = DEFAULT_RULE_SET.thresholds;
    expect([t.warrantyEndingUncovered.withinDays, t.warrantyEndingUncovered.withinHours]).toEqual([90, 250]);
    expect([t.postWarrantyNoService.minDays, t.service.intervalHours, t.maintenanceOverdue.factor]).toEqual([
      120, 500, 1.1,
    ]);
    expect([
      t.activeButSilent.minFleetHours,
      t.activeButSilent.fleetWindowDays,
      t.activeButSilent.silentDays,
    ]).toEqual([50, 30, 42]);
    expect([t.purchaseGap.minDays, t.purchaseGap.quantile]).toEqual([42, 0.9]);
    expect(t.aliveProbabilityDrop).toMatchObject({
      below: 0.5,
      drop: 0.3,
      windowDays: 90,
      minRepeatPurchases: 2,
    });
    expect(t.spendErosion).toEqual({ months: 6, maxSpendRatio: 0.5, minHoursRatio: 0.8 });
    expect(t.detractor).toMatchObject({ maxNps: 6, maxCes: 3, maxCsat: 2, closeLoopHours: 48 });
    expect(t.badServiceExperience).toMatchObject({
      complaintOpenDays: 7,
      repeatRepairCount: 2,
      repeatRepairWindowDays: 30,
      downtimeDays: 5,
    });
    expect(t.faultWithoutVisit).toMatchObject({
      severities: ['high', 'critical'],
      repeatCount: 3,
      repeatWindowDays: 7,
      visitWithinDays: 14,
    });
    expect([t.machineParked.flatDays, t.machineRelocated.outsideDays, t.notReporting.silentDays]).toEqual([
      60, 30, 14,
    ]);
    expect(Object.isFrozen(DEFAULT_RULE_SET.thresholds.purchaseGap)).toBe(true);
  });

  it('names a field of the wrong type, out of range, missing or unknown', () => {
    const doc = copy();
    doc.thresholds.purchaseGap.minDays = '42';
    doc.thresholds.maintenanceOverdue.factor = 0.9;
    delete doc.thresholds.notReporting.silentDays;
    doc.thresholds.activeButSilent.silentDay = 40;
    doc.thresholds.selfMaintenanceShift.windowDays = 1001;
    doc.extra = true;
    expect([...problems(doc)].sort()).toEqual(
      [
        'thresholds.activeButSilent.silentDay: unknown field',
        'thresholds.purchaseGap.minDays: Invalid input: expected number, received string',
        'thresholds.maintenanceOverdue.factor: Too small: expected number to be >=1',
        'thresholds.notReporting.silentDays: Invalid input: expected number, received undefined',
        'thresholds.selfMaintenanceShift.windowDays: must be <= 1000 days (the rules see 36 months of history)',
        'extra: unknown field',
      ].sort(),
    );
  });

  it('checks service areas, models, disabled codes and per-dealer overrides', () => {
    const doc = copy();
    doc.serviceAreas = { 'b-north': { lat: 95, lon: 121, radiusKm: 0 } };
    doc.perModel = { 'PC200-8': { serviceIntervalHours: -1 } };
    doc.disabled = ['NO_SUCH_RULE'];
    expect(problems(doc).map((p) => p.split(':')[0])).toEqual([
      'perModel.PC200-8.serviceIntervalHours',
      'serviceAreas.b-north.lat',
      'serviceAreas.b-north.radiusKm',
      'disabled[0]',
    ]);
  });

  it('checks that maxDays >= minDays, in the base and after a dealer override', () => {
    const base = copy();
    base.thresholds.postWarrantyNoService.maxDays = 100;
    expect(problems(base)).toEqual([
      'thresholds.postWarrantyNoService.maxDays: must be >= postWarrantyNoService.minDays (120)',
    ]);
    const dealer = copy();
    dealer.perDealer = { d1: { thresholds: { postWarrantyNoService: { maxDays: 100 } } } };
    expect(problems(dealer)).toEqual([
      'perDealer.d1.thresholds.postWarrantyNoService.maxDays: must be >= postWarrantyNoService.minDays (120)',
    ]);
  });

  it('rejects something that is not an object', () => {
    expect(problems(null)).toEqual(['(root): Invalid input: expected object, received null']);
  });

  it('merges per-dealer overrides over the base, field by field', () => {
    const doc = copy();
    doc.perModel = { 'PC200-8': { serviceIntervalHours: 250 }, D6: { serviceIntervalHours: 400 } };
    doc.perDealer = {
      d2: {
        thresholds: { purchaseGap: { minDays: 60 } },
        perModel: { D6: { serviceIntervalHours: 300 } },
        disabled: ['PURCHASE_GAP'],
      },
    };
    const ruleSet = parseRuleSet(doc);
    const d2 = resolveRules(ruleSet, 'd2');
    expect(d2.thresholds.purchaseGap).toEqual({ minDays: 60, quantile: 0.9, minPurchases: 2 });
    expect([
      serviceIntervalHours(d2, 'D6'),
      serviceIntervalHours(d2, 'PC200-8'),
      serviceIntervalHours(d2, 'X'),
    ]).toEqual([300, 250, 500]);
    expect(d2.disabled).toEqual(['PURCHASE_GAP']);
    expect(resolveRules(ruleSet, 'd1').thresholds.purchaseGap.minDays).toBe(42);
    expect(serviceIntervalHours(resolveRules(ruleSet, 'd1'), 'toString')).toBe(500);
  });

  it('takes value settings (margin rates, discount rate, weights …), validated, merged per dealer field by field', () => {
    const doc = copy();
    doc.value = { marginRates: { parts: 0.3 }, discountRate: 0.08, reasonWeights: { lapse: 2 } };
    doc.perDealer = { d2: { value: { marginRates: { labour: 0.5 }, defaultRetention: 0.8 } } };
    const ruleSet = parseRuleSet(doc);
    expect(resolveRules(ruleSet, 'd2').value).toEqual({
      marginRates: { parts: 0.3, labour: 0.5 },
      discountRate: 0.08,
      defaultRetention: 0.8,
      reasonWeights: { lapse: 2 },
    });
    expect(resolveRules(ruleSet, 'd1').value).toEqual({
      marginRates: { parts: 0.3 },
      discountRate: 0.08,
      reasonWeights: { lapse: 2 },
    });
    // A document without a value section leaves every setting to the pipeline's defaults.
    expect(resolveRules(parseRuleSet(copy()), 'd1').value).toEqual({});

    const bad = copy();
    bad.value = { marginRates: { parts: 1.2, labor: 0.5 }, discountRate: 0, reasonWeights: { lapse: -1 } };
    bad.perDealer = { d2: { value: { baselineMarginPerMachine: -5, defaultRetention: '0.7' } } };
    expect([...problems(bad)].map((p) => p.split(':')[0]).sort()).toEqual(
      [
        'value.marginRates.parts',
        'value.marginRates.labor',
        'value.discountRate',
        'value.reasonWeights.lapse',
        'perDealer.d2.value.baselineMarginPerMachine',
        'perDealer.d2.value.defaultRetention',
      ].sort(),
    );
    expect(problems(bad)).toContain('value.marginRates.labor: unknown field');
  });

  it('resolves a document once per dealer; another document or dealer gets its own rules', () => {
    const doc = copy();
    doc.perDealer = { d2: { thresholds: { purchaseGap: { minDays: 60 } } } };
    const ruleSet = parseRuleSet(doc);
    const d2 = resolveRules(ruleSet, 'd2');
    expect(resolveRules(ruleSet, 'd2')).toBe(d2); // memoised: a sweep evaluates at many instants
    expect(resolveRules(ruleSet, 'd1')).not.toBe(d2);
    expect(resolveRules(ruleSet, 'd1').thresholds.purchaseGap.minDays).toBe(42);
    const other = parseRuleSet({
      ...copy(),
      perDealer: { d2: { thresholds: { purchaseGap: { minDays: 75 } } } },
    });
    expect(resolveRules(other, 'd2').thresholds.purchaseGap.minDays).toBe(75);
    expect(resolveRules(ruleSet, 'd2').thresholds.purchaseGap.minDays).toBe(60);
  });
});
