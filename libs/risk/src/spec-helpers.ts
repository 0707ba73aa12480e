// Test-only builders for the *.spec.ts files of this lib; not exported from index.ts.
import { createHash } from 'node:crypto';
import type { CustomerState, Purchase } from './model/customer-state';
import type { MachineState, MeterReading, WorkOrder } from './model/machine-state';
import { DEFAULT_RULE_SET } from './rules/default-rule-set';
import { resolveRules, type EffectiveRules } from './rules/resolve-rules';
import type { RuleSet, ThresholdOverrides } from './rules/rule-set.schema';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** Epoch ms of a date (midnight UTC) or an RFC 3339 instant. */
export const at = (iso: string): number => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);

export const RULES: EffectiveRules = resolveRules(DEFAULT_RULE_SET, 'd1');

/** The default rules with some thresholds overridden (through perDealer, as data teams would). */
export function rulesWith(thresholds: ThresholdOverrides, extra: Partial<RuleSet> = {}): EffectiveRules {
  return resolveRules({ ...DEFAULT_RULE_SET, ...extra, perDealer: { d1: { thresholds } } }, 'd1');
}

export const SERIAL = 'PC200-10001';

export function machine(patch: Partial<MachineState> = {}): MachineState {
  return {
    dealerId: 'd1',
    serialNumber: SERIAL,
    customerId: 'c-17',
    branchId: 'b-north',
    model: 'PC200-8',
    readings: [],
    locations: [],
    faults: [],
    covers: [],
    workOrders: [],
    ...patch,
  };
}

export function customer(patch: Partial<CustomerState> = {}): CustomerState {
  return {
    dealerId: 'd1',
    customerId: 'c-17',
    branchId: 'b-north',
    purchases: [],
    complaints: [],
    surveys: [],
    pAlive: [],
    fleetHours: [],
    unattributedWorkOrders: [],
    ...patch,
  };
}

export const reading = (when: number, hours: number, eventId: string): MeterReading => ({
  at: when,
  hours,
  eventId,
});

export function workOrder(id: string, openedAt: number, patch: Partial<WorkOrder> = {}): WorkOrder {
  return {
    id,
    kind: 'maintenance',
    openedAt,
    closedAt: openedAt + HOUR,
    labour: true,
    eventId: `wo-${id}`,
    ...patch,
  };
}

export function purchase(
  eventId: string,
  when: number,
  amount = 100,
  patch: Partial<Purchase> = {},
): Purchase {
  return { at: when, amount, kind: 'parts', eventId, ...patch };
}

/** The id the brief specifies, computed independently of the library. */
export function expectedId(serial: string | null, code: string, episode: string, version = '1'): string {
  return createHash('sha256')
    .update(`d1|c-17|${serial ?? ''}|${code}|${version}|${episode}`)
    .digest('hex');
}
