import { distanceKm } from './geo';
import { resolveSimulationOptions } from './options';
import { RELOCATION_JITTER_KM, RELOCATION_SITES } from './plan/relocation-sites';
import type { SimRecord } from './records';
import { runAll } from './spec-helpers';

const at = (r: SimRecord): number => Date.parse(r.event.occurredAt);

describe('simulated histories are consistent in time', () => {
  // Many sales and deliveries inside the period: milestones on days with desk activity.
  const { records } = runAll({
    seed: 9,
    machines: 600,
    months: 24,
    start: '2023-01-01',
    snapshotDays: 7,
    behaviourMix: { 'machine-sold': 1 },
  });

  it('no purchase, work order or complaint of a machine precedes its registration or its buyer’s transfer', () => {
    const registeredAt = new Map<string, number>();
    const boughtAt = new Map<string, number>(); // serial/buyer → transfer instant
    const problems: string[] = [];
    const buyers = new Set(
      records
        .filter((r) => r.event.type === 'ownership.transferred')
        .map((r) => `${r.event.data.serialNumber as string}/${r.event.data.toCustomerId as string}`),
    );
    let checked = 0;
    for (const r of records) {
      const d = r.event.data;
      const serial = d.serialNumber as string | undefined;
      if (r.event.type === 'warranty.registered') registeredAt.set(serial!, at(r));
      if (r.event.type === 'ownership.transferred')
        boughtAt.set(`${serial}/${d.toCustomerId as string}`, at(r));
      if (!/^(work-order|parts|complaint)\./.test(r.event.type) || serial === undefined) continue;
      checked++;
      const reg = registeredAt.get(serial);
      if (reg === undefined || at(r) < reg)
        problems.push(`${r.event.type} ${serial} before its registration`);
      const key = `${serial}/${d.customerId as string}`;
      if (buyers.has(key) && (boughtAt.get(key) ?? Infinity) > at(r))
        problems.push(`${r.event.type} ${serial} by ${d.customerId as string} before the transfer to them`);
    }
    expect(checked).toBeGreaterThan(10_000);
    expect(problems).toEqual([]);
  });
});

describe('relocation targets', () => {
  const { records, result } = runAll({
    seed: 4,
    machines: 300,
    months: 24,
    start: '2023-01-01',
    snapshotDays: 7,
    branches: 5,
    behaviourMix: { 'machine-relocated': 1 },
  });

  it('every fix from relocatedAt on lies near an inland town of the list, 650-1,200 km from the branch', () => {
    const branch = new Map(result.branches.map((b) => [b.id, b]));
    const label = new Map(result.machines.map((m) => [m.serialNumber, m]));
    const far: string[] = [];
    let fixes = 0;
    for (const r of records) {
      if (r.event.type !== 'telematics.snapshot') continue;
      const m = label.get(r.event.data.serialNumber as string)!;
      if (m.relocatedAt === null || at(r) < Date.parse(m.relocatedAt)) continue;
      fixes++;
      const fix = r.event.data.location as { latitude: number; longitude: number };
      const km = distanceKm(branch.get(m.branchId)!, fix);
      // The snapshot jitter of a working machine adds up to ~1.5 km.
      const town = RELOCATION_SITES.some((s) => distanceKm(s, fix) <= RELOCATION_JITTER_KM + 2);
      if (!town || km < 650 || km > 1200) far.push(`${m.serialNumber} at ${fix.latitude},${fix.longitude}`);
    }
    expect(result.machines.filter((m) => m.relocatedAt !== null).length).toBeGreaterThan(250);
    expect(fixes).toBeGreaterThan(5000);
    expect(far).toEqual([]);
  });

  it('relocatedAt is the first fix from the new site, on the day of the move', () => {
    const first = new Map<string, { ms: number; far: boolean }[]>();
    const branch = new Map(result.branches.map((b) => [b.id, b]));
    const label = new Map(result.machines.map((m) => [m.serialNumber, m]));
    for (const r of records) {
      if (r.event.type !== 'telematics.snapshot') continue;
      const m = label.get(r.event.data.serialNumber as string)!;
      const fix = r.event.data.location as { latitude: number; longitude: number };
      const list = first.get(m.serialNumber) ?? [];
      list.push({ ms: at(r), far: distanceKm(branch.get(m.branchId)!, fix) > 500 });
      first.set(m.serialNumber, list);
    }
    for (const m of result.machines.filter((x) => x.relocatedAt !== null)) {
      const fixes = first.get(m.serialNumber)!;
      expect(fixes.find((f) => f.far)?.ms).toBe(Date.parse(m.relocatedAt!));
    }
  });
});

describe('customers', () => {
  it('rejects a single customer when machines can be sold (no buyer), naming the option', () => {
    expect(() => resolveSimulationOptions({ customers: 1 })).toThrow(
      /^customers: a single customer leaves no buyer/,
    );
    expect(() => resolveSimulationOptions({ customers: 1, behaviourMix: { 'machine-sold': 1 } })).toThrow(
      /^customers:/,
    );
    expect(resolveSimulationOptions({ customers: 1, behaviourMix: { loyal: 1 } }).customers).toBe(1);
    // The default leaves room for a buyer.
    expect(resolveSimulationOptions({ machines: 1 }).customers).toBe(2);
  });

  it('emits exactly the customers asked for, sold machines included', () => {
    const { records, result } = runAll({
      seed: 2,
      machines: 20,
      customers: 2,
      months: 6,
      start: '2024-01-01',
      behaviourMix: { 'machine-sold': 1 },
    });
    expect(records.filter((r) => r.event.type === 'customer.upserted')).toHaveLength(2);
    expect(result.options.customers).toBe(2);
  });
});
