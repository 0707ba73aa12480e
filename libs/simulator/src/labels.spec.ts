import { distanceKm } from './geo';
import { BEHAVIOURS, DEFAULT_BEHAVIOUR_MIX, type Behaviour } from './options';
import { DAY, historiesBySerial, runAll, type MachineHistory } from './spec-helpers';
import { simulationLabels } from './simulate-fleet';

// Three simulated years after two of opening balance: every behaviour's turning point happens.
const OPTS = { seed: 42, machines: 240, months: 36, historyMonths: 24, start: '2023-01-01', branches: 4 };
const LAPSING: Behaviour[] = ['leaves-after-warranty', 'slowly-eroding', 'detractor-who-leaves'];

describe('simulation labels agree with the events', () => {
  const { records, result } = runAll(OPTS);
  const histories = [...historiesBySerial(records, result.machines).values()];
  const startMs = Date.parse('2023-01-01T00:00:00Z');
  const endMs = Date.parse('2026-01-01T00:00:00Z');
  const branchLocation = new Map(
    records
      .filter((r) => r.event.type === 'warranty.registered')
      .map((r) => [r.key, r.event.data.branchId as string]),
  );
  const of = (b: Behaviour): MachineHistory[] => histories.filter((h) => h.label.behaviour === b);
  const ms = (s: string | null): number => Date.parse(s!);

  it('labels every machine once, with the warranty end it was registered with', () => {
    expect(histories).toHaveLength(240);
    for (const h of histories) {
      const reg = h.events.filter((r) => r.event.type === 'warranty.registered');
      expect(reg).toHaveLength(1);
      expect(h.label.warrantyEndsAt).toBe(`${reg[0].event.data.endsAt as string}T00:00:00Z`);
      expect(reg[0].event.data.customerId).toBe(h.label.customerId);
      expect(branchLocation.get(h.label.serialNumber)).toBe(h.label.branchId);
    }
  });

  it('a lapsed machine has a dealer purchase at lapsedAt and none after it', () => {
    const lapsed = histories.filter((h) => h.label.lapsedAt !== null);
    expect(lapsed.length).toBeGreaterThan(30);
    for (const h of lapsed) {
      const at = ms(h.label.lapsedAt);
      expect(h.purchases.some((p) => p.ms === at)).toBe(true);
      expect(h.purchases.filter((p) => p.ms > at)).toEqual([]);
      expect(
        h.events.filter((r) => r.event.type === 'work-order.opened' && Date.parse(r.event.occurredAt) > at),
      ).toEqual([]);
      // ...while the machine keeps running to the end.
      const late = h.snapshots.filter((s) => s.ms > at);
      if (late.length > 60) expect(late[late.length - 1].hours).toBeGreaterThan(late[0].hours);
    }
    for (const b of LAPSING) expect(of(b).filter((h) => h.label.lapsedAt !== null).length).toBeGreaterThan(3);
    for (const b of BEHAVIOURS.filter((x) => !LAPSING.includes(x))) {
      expect(of(b).filter((h) => h.label.lapsedAt !== null)).toEqual([]);
    }
  });

  it('leaves-after-warranty: the last purchase is the inspection shortly before the warranty end', () => {
    for (const h of of('leaves-after-warranty').filter((x) => x.label.lapsedAt !== null)) {
      const gap = ms(h.label.warrantyEndsAt) - ms(h.label.lapsedAt);
      expect(gap).toBeGreaterThan(0);
      expect(gap).toBeLessThan(30 * DAY);
      const last = h.events.filter((r) => r.event.type === 'work-order.closed').pop()!;
      expect(last.event.data.kind).toBe('inspection');
    }
  });

  it('detractor-who-leaves: two repairs within 30 days, one over 5 days down, then a detractor survey and a complaint', () => {
    let checked = 0;
    for (const h of of('detractor-who-leaves').filter((x) => x.label.lapsedAt !== null)) {
      const closed = h.events.filter((r) => r.event.type === 'work-order.closed').slice(-2);
      expect(
        closed.map((r) => r.event.data.kind).every((k) => k === 'repair' || k === 'warranty-repair'),
      ).toBe(true);
      expect(closed[0].event.data.downtimeHours).toBeGreaterThan(120);
      const opened = h.events.filter((r) => r.event.type === 'work-order.opened').slice(-2);
      expect(Date.parse(opened[1].event.occurredAt) - Date.parse(opened[0].event.occurredAt)).toBeLessThan(
        30 * DAY,
      );
      const after = h.events.filter((r) => Date.parse(r.event.occurredAt) > ms(h.label.lapsedAt));
      const survey = after.find((r) => r.event.type === 'survey.responded');
      const complaint = after.find((r) => r.event.type === 'complaint.opened');
      if (ms(h.label.lapsedAt) < endMs - 6 * DAY) {
        expect(survey!.event.data.nps).toBeLessThanOrEqual(4);
        expect(complaint!.event.data.severity).toBe('high');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3);
  });

  it('slowly-eroding: spend in the last six months before the lapse is under half of the same months a year earlier', () => {
    let recent = 0;
    let yearEarlier = 0;
    const spend = (h: MachineHistory, from: number, to: number): number =>
      h.events
        .filter((r) => {
          const t = Date.parse(r.event.occurredAt);
          return (
            t >= from && t < to && (r.event.type === 'parts.sold' || r.event.type === 'work-order.closed')
          );
        })
        .reduce(
          (s, r) =>
            s +
            ((r.event.data.amount as number) ?? 0) +
            ((r.event.data.laborAmount as number) ?? 0) +
            ((r.event.data.partsAmount as number) ?? 0),
          0,
        );
    const eroded = of('slowly-eroding').filter(
      (h) => h.label.lapsedAt !== null && ms(h.label.lapsedAt) - 365 * DAY - 182 * DAY > startMs,
    );
    expect(eroded.length).toBeGreaterThan(2);
    for (const h of eroded) {
      const at = ms(h.label.lapsedAt) + 1;
      recent += spend(h, at - 182 * DAY, at);
      yearEarlier += spend(h, at - 365 * DAY - 182 * DAY, at - 365 * DAY);
    }
    expect(recent).toBeLessThan(0.5 * yearEarlier);
  });

  it('loyal machines never go 180 days without a dealer purchase', () => {
    const loyal = of('loyal');
    expect(loyal.length).toBeGreaterThan(50);
    for (const h of loyal) {
      const from = Math.max(startMs, ms(h.label.deliveredAt));
      const times = [from, ...h.purchases.map((p) => p.ms), endMs];
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeLessThanOrEqual(180 * DAY);
      expect(h.label.lapsedAt).toBeNull();
    }
  });

  it('self-maintaining customers buy kits and filters but never a work order', () => {
    for (const h of of('self-maintaining')) {
      expect(h.events.filter((r) => r.event.type.startsWith('work-order'))).toEqual([]);
      const categories = new Set(
        h.events.filter((r) => r.event.type === 'parts.sold').map((r) => r.event.data.category),
      );
      expect(categories.has('maintenance-kit') || categories.has('filters')).toBe(true);
    }
  });

  it('a sold machine has its ownership.transferred at soldAt, and the buyer buys afterwards', () => {
    const sold = of('machine-sold');
    expect(sold.length).toBeGreaterThan(5);
    for (const h of sold) {
      const transfers = h.events.filter((r) => r.event.type === 'ownership.transferred');
      expect(transfers).toHaveLength(1);
      expect(transfers[0].event.occurredAt).toBe(h.label.soldAt);
      expect(transfers[0].event.data.fromCustomerId).toBe(h.label.customerId);
      expect(transfers[0].event.data.toCustomerId).toBe(h.label.finalCustomerId);
      expect(h.label.finalCustomerId).not.toBe(h.label.customerId);
      for (const p of h.purchases.filter((x) => x.ms > ms(h.label.soldAt) + 3 * DAY)) {
        expect(p.customerId).toBe(h.label.finalCustomerId);
      }
    }
    for (const h of histories.filter((x) => x.label.behaviour !== 'machine-sold'))
      expect(h.label.soldAt).toBeNull();
  });

  it('a parked machine reports a flat hour meter and a stopped engine from parkedAt', () => {
    const parked = of('machine-parked');
    expect(parked.length).toBeGreaterThan(5);
    for (const h of parked) {
      const at = ms(h.label.parkedAt);
      const before = h.snapshots.filter((s) => s.ms < at);
      const after = h.snapshots.filter((s) => s.ms >= at);
      expect(after.length).toBeGreaterThan(0);
      const flat = before.length > 0 ? before[before.length - 1].hours : after[0].hours;
      for (const s of after) {
        expect(s.hours).toBe(flat);
        expect(s.engineRunning).toBe(false);
      }
      expect(h.purchases.filter((p) => p.ms >= at)).toEqual([]);
    }
  });

  it('a relocated machine reports positions over 500 km from its branch from relocatedAt', () => {
    const relocated = of('machine-relocated');
    expect(relocated.length).toBeGreaterThan(5);
    const branchOf = new Map<string, { latitude: number; longitude: number }>();
    // A branch's position: the mean of its customers' machines before any relocation (all within ~70 km).
    for (const h of histories.filter((x) => x.label.behaviour === 'loyal' && x.snapshots.length > 0)) {
      if (!branchOf.has(h.label.branchId)) branchOf.set(h.label.branchId, h.snapshots[0]);
    }
    for (const h of relocated) {
      const at = ms(h.label.relocatedAt);
      const home = branchOf.get(h.label.branchId)!;
      for (const s of h.snapshots.filter((x) => x.ms >= at)) expect(distanceKm(home, s)).toBeGreaterThan(500);
      for (const s of h.snapshots.filter((x) => x.ms < at)) expect(distanceKm(home, s)).toBeLessThan(200);
    }
  });

  it('running machines log 500-1,500 engine hours a year', () => {
    let spans = 0;
    for (const h of histories) {
      const stop = h.label.parkedAt === null ? Infinity : ms(h.label.parkedAt);
      const running = h.snapshots.filter((s) => s.ms < stop);
      for (let i = 0; i < running.length; i += 30) {
        const j = running.findIndex((s) => s.ms >= running[i].ms + 365 * DAY);
        if (j < 0) break;
        const perYear = ((running[j].hours - running[i].hours) * 365 * DAY) / (running[j].ms - running[i].ms);
        expect(perYear).toBeGreaterThanOrEqual(500);
        expect(perYear).toBeLessThanOrEqual(1500);
        spans++;
      }
    }
    expect(spans).toBeGreaterThan(1000);
  });
});

describe('behaviour mix', () => {
  it('follows the default mix within a few points on a large fleet', () => {
    const { machinesByBehaviour, machines } = simulationLabels({
      seed: 3,
      machines: 4000,
      months: 1,
      historyMonths: 0,
      snapshotDays: 30,
    });
    expect(machines).toHaveLength(4000);
    for (const b of BEHAVIOURS) {
      expect(Math.abs(machinesByBehaviour[b] / 4000 - DEFAULT_BEHAVIOUR_MIX[b])).toBeLessThan(0.04);
    }
  });

  it('honours a custom mix: behaviours with no weight never occur', () => {
    const { machinesByBehaviour } = simulationLabels({
      seed: 3,
      machines: 1000,
      months: 1,
      historyMonths: 0,
      snapshotDays: 30,
      behaviourMix: { loyal: 3, 'machine-sold': 1 },
    });
    expect(machinesByBehaviour.loyal + machinesByBehaviour['machine-sold']).toBe(1000);
    expect(Math.abs(machinesByBehaviour['machine-sold'] / 1000 - 0.25)).toBeLessThan(0.05);
  });
});
