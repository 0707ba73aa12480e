import type { SimulationOptions } from './options';
import type { MachineLabel, SimRecord } from './records';
import { simulateFleet, type SimulationResult } from './simulate-fleet';

export const DAY = 86_400_000;

/** Runs a simulation to the end, keeping its records (tests use small fleets). */
export function runAll(opts: SimulationOptions): { records: SimRecord[]; result: SimulationResult } {
  const records: SimRecord[] = [];
  const gen = simulateFleet(opts);
  for (;;) {
    const step = gen.next();
    if (step.done) return { records, result: step.value };
    records.push(step.value);
  }
}

export interface MachineHistory {
  label: MachineLabel;
  /** `work-order.closed` and `parts.sold` for the machine: instant and buying customer. */
  purchases: { ms: number; customerId: string; type: string }[];
  snapshots: { ms: number; hours: number; latitude: number; longitude: number; engineRunning: boolean }[];
  events: SimRecord[];
}

/** Groups the records by machine serial number. */
export function historiesBySerial(records: SimRecord[], labels: MachineLabel[]): Map<string, MachineHistory> {
  const out = new Map<string, MachineHistory>();
  for (const label of labels)
    out.set(label.serialNumber, { label, purchases: [], snapshots: [], events: [] });
  for (const r of records) {
    const d = r.event.data;
    const h = typeof d.serialNumber === 'string' ? out.get(d.serialNumber) : undefined;
    if (!h) continue;
    h.events.push(r);
    const ms = Date.parse(r.event.occurredAt);
    if (r.event.type === 'work-order.closed' || r.event.type === 'parts.sold') {
      h.purchases.push({ ms, customerId: d.customerId as string, type: r.event.type });
    } else if (r.event.type === 'telematics.snapshot') {
      const location = d.location as { latitude: number; longitude: number };
      h.snapshots.push({
        ms,
        hours: d.cumulativeOperatingHours as number,
        latitude: location.latitude,
        longitude: location.longitude,
        engineRunning: d.engineRunning as boolean,
      });
    }
  }
  return out;
}
