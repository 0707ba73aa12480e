import {
  BEHAVIOURS,
  resolveSimulationOptions,
  type Behaviour,
  type ResolvedSimulationOptions,
  type SimulationOptions,
} from './options';
import { buildFleetPlan } from './plan/fleet-plan';
import type { CustomerPlan } from './plan/plan-types';
import { Rng } from './random/rng';
import type { MachineLabel, SimRecord, TopicCounts } from './records';
import { simDay } from './sim/day';
import { EventFactory, type Pending } from './sim/event-factory';
import { MachineSim, type SimContext } from './sim/machine-sim';
import { DAY_MS, addMonths, parseDay, rfc3339 } from './time';

/** A branch of the simulated dealer and its position (e.g. for a rule set's service areas). */
export interface SimulatedBranch {
  id: string;
  name: string;
  latitude: number;
  longitude: number;
}

/** What a finished simulation returns: its options, counts and the ground truth per machine. */
export interface SimulationResult {
  options: ResolvedSimulationOptions;
  counts: TopicCounts;
  branches: SimulatedBranch[];
  machinesByBehaviour: Record<Behaviour, number>;
  machines: MachineLabel[];
}

// Events held at once: about this many snapshots per window (plus service events and carry-over).
const WINDOW_EVENTS = 60_000;

/**
 * Streams a dealer's simulated history as contract records in non-decreasing `occurredAt` order
 * (ties: customers first, then in generation order, both fixed by the seed). Memory stays bounded:
 * the period is simulated window by window (up to 31 days, fewer for big fleets); each window's
 * events are sorted and emitted before the next one is generated, and only events scheduled past the
 * window (a work order still open, a survey in a few days) are carried over. The generator's return
 * value holds the labels (see {@link MachineLabel}); events at or after the end are dropped.
 */
export function* simulateFleet(
  options: SimulationOptions = {},
): Generator<SimRecord, SimulationResult, undefined> {
  const opts = resolveSimulationOptions(options);
  const streams = Rng.seeded(opts.seed);
  const plan = buildFleetPlan(opts, streams.fork());
  const factory = new EventFactory(opts);
  const ctx: SimContext = {
    factory,
    startMs: plan.startMs,
    endMs: plan.endMs,
    snapshotDays: opts.snapshotDays,
    dealerId: opts.dealerId,
  };
  const sims = plan.machines.map((m) => new MachineSim(m, streams.fork(), ctx));
  const counts: TopicCounts = { telematics: 0, warranty: 0, service: 0 };
  const windowDays = Math.max(1, Math.min(31, Math.floor((WINDOW_EVENTS * opts.snapshotDays) / sims.length)));

  let carried: Pending[] = [];
  for (let from = plan.startMs; from < plan.endMs; from += windowDays * DAY_MS) {
    const to = Math.min(plan.endMs, from + windowDays * DAY_MS);
    const buffer = carried;
    carried = [];
    if (from === plan.startMs) {
      for (const c of plan.customers) buffer.push(customerUpserted(factory, plan.startMs, c));
      for (const sim of sims) sim.openingBalance(buffer);
    }
    const days = [];
    for (let ms = from; ms < to; ms += DAY_MS)
      days.push(simDay(Math.round((ms - plan.startMs) / DAY_MS), ms));
    for (const sim of sims) for (const day of days) sim.runDay(day, buffer);

    const ready: Pending[] = [];
    for (const p of buffer) {
      if (p.ms < to) ready.push(p);
      else if (p.ms < plan.endMs) carried.push(p);
    }
    ready.sort((a, b) => a.ms - b.ms); // stable: equal instants keep their generation order
    for (const p of ready) {
      counts[p.record.topic]++;
      yield p.record;
    }
  }

  const machinesByBehaviour = Object.fromEntries(BEHAVIOURS.map((b) => [b, 0])) as Record<Behaviour, number>;
  for (const m of plan.machines) machinesByBehaviour[m.behaviour]++;
  const branches = plan.branches.map((b) => ({ id: b.id, name: b.name, ...b.location }));
  return { options: opts, counts, branches, machinesByBehaviour, machines: sims.map((s) => s.label()) };
}

/** The simulated period [start, end) of these options, as RFC 3339 instants; validates the options. */
export function simulationPeriod(options: SimulationOptions = {}): { start: string; end: string } {
  const opts = resolveSimulationOptions(options);
  const startMs = parseDay(opts.start)!;
  return { start: rfc3339(startMs), end: rfc3339(addMonths(startMs, opts.months)) };
}

/** Runs the whole simulation without keeping its events and returns the labels and counts. */
export function simulationLabels(options: SimulationOptions = {}): SimulationResult {
  const gen = simulateFleet(options);
  for (;;) {
    const step = gen.next();
    if (step.done) return step.value;
  }
}

function customerUpserted(factory: EventFactory, ms: number, c: CustomerPlan): Pending {
  return factory.make('customer.upserted', ms, `cu-${c.id}`, c.id, {
    customerId: c.id,
    name: c.name,
    branchId: c.branchId,
    ...(c.phone === undefined ? {} : { phone: c.phone }),
    ...(c.email === undefined ? {} : { email: c.email }),
  });
}
