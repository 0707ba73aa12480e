import type { DataSource } from 'typeorm';
import {
  AliveModels,
  DEFAULT_VALUE_SETTINGS,
  fleetFactsAt,
  loadRiskState,
  valueDecision,
  valueSettingsOf,
} from '@rp/ingest';
import { evaluate, resolveRules, type RuleSet } from '@rp/risk';
import { unitKey, type Flag } from './metrics';
import type { PopulationUnit } from './population';

const CHUNK = 100;

/**
 * Each rule set's flags at each cut-off, evaluated by the same pure rules as live on each customer's
 * state as of the cut-off (the rules ignore later facts; P(alive) comes from the model fitted on the
 * purchases before the cut-off's month). A customer-level reason flags each of their eligible machines.
 */
export async function predict(
  ds: DataSource,
  populations: Map<number, PopulationUnit[]>,
  ruleSets: RuleSet[],
): Promise<Map<number, Flag[]>[]> {
  const out = ruleSets.map(() => new Map<number, Flag[]>([...populations.keys()].map((c) => [c, []])));
  // dealer → customer → cut-offs at which they own an eligible machine
  const wanted = new Map<string, Map<string, number[]>>();
  for (const [cutoff, units] of populations) {
    for (const u of units) {
      const customers = wanted.get(u.dealerId) ?? new Map<string, number[]>();
      const list = customers.get(u.customerId) ?? [];
      if (!list.includes(cutoff)) list.push(cutoff);
      customers.set(u.customerId, list);
      wanted.set(u.dealerId, customers);
    }
  }
  const unitsAt = new Map<string, PopulationUnit[]>();
  for (const [cutoff, units] of populations) {
    for (const u of units) {
      const k = `${cutoff}\u0000${u.dealerId}\u0000${u.customerId}`;
      unitsAt.set(k, [...(unitsAt.get(k) ?? []), u]);
    }
  }
  for (const [dealerId, customers] of wanted) {
    const models = new AliveModels(ds, dealerId);
    const ids = [...customers.keys()].sort();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const states = await loadRiskState(ds, dealerId, ids.slice(i, i + CHUNK), { sinceMs: 0 });
      for (const [customerId, state] of states) {
        for (const cutoff of customers.get(customerId) ?? []) {
          const customer = await models.customerAt(
            state.customer,
            customerId,
            cutoff,
            state.earlierPurchaseDays,
          );
          const units = unitsAt.get(`${cutoff}\u0000${dealerId}\u0000${customerId}`) ?? [];
          const fleet = fleetFactsAt(state.machines, cutoff);
          ruleSets.forEach((ruleSet, i2) => {
            const { decisions } = evaluate(state.machines, customer, cutoff, ruleSet);
            const flags = new Map<string, Flag>();
            for (const d of decisions) {
              const value = valueSettingsOf(resolveRules(ruleSet, dealerId), DEFAULT_VALUE_SETTINGS);
              const { priority } = valueDecision(d, customer, fleet, value);
              const targets =
                d.serialNumber === null ? units : units.filter((u) => u.serialNumber === d.serialNumber);
              for (const u of targets) {
                const f = flags.get(unitKey(u)) ?? { unit: u, reasons: [], priority: 0 };
                f.reasons.push(d.reasonCode);
                f.priority = Math.max(f.priority, priority);
                flags.set(unitKey(u), f);
              }
            }
            out[i2].get(cutoff)!.push(...flags.values());
          });
        }
      }
    }
  }
  return out;
}
