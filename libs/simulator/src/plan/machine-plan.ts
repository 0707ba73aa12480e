import type { MachineModel } from '../catalogue';
import { destination } from '../geo';
import type { Behaviour, ResolvedSimulationOptions } from '../options';
import type { Rng } from '../random/rng';
import { RELOCATION_JITTER_KM, relocationSitesFor } from './relocation-sites';
import { DAY_MS, HOUR_MS, addMonths, startOfDay } from '../time';
import {
  businessTime,
  type BranchPlan,
  type ContractPlan,
  type CustomerPlan,
  type MachinePlan,
} from './plan-types';

export interface MachinePlanInput {
  index: number;
  model: MachineModel;
  behaviour: Behaviour;
  customer: CustomerPlan;
  buyer?: CustomerPlan;
  opts: ResolvedSimulationOptions;
  range: { startMs: number; endMs: number; historyStartMs: number };
  branches: BranchPlan[];
  rng: Rng;
}

const WARRANTY_MONTHS = [12, 18, 24] as const;
const HOURS_LIMITS = [2000, 2500, 3000] as const;
const CONTRACT_SHARE: Partial<Record<Behaviour, number>> = {
  loyal: 0.4,
  'machine-sold': 0.25,
  'machine-parked': 0.25,
  'machine-relocated': 0.25,
};

/** Draws one machine's delivery, warranty, usage and the turning point of its behaviour. */
export function planMachine(input: MachinePlanInput): MachinePlan {
  const { index, model, behaviour, customer, opts, range, rng } = input;
  const { startMs, endMs } = range;
  const warrantyMonths = rng.pick(WARRANTY_MONTHS);
  const deliveredMs = drawDelivery(input, warrantyMonths);
  const warrantyEndsMs = addMonths(startOfDay(deliveredMs), warrantyMonths);
  const hoursLimit = rng.pick(HOURS_LIMITS);
  const annualHours = rng.between(600, 1400);
  const initialHours =
    deliveredMs < startMs
      ? (annualHours * (startMs - deliveredMs) * rng.between(0.92, 1.08)) / (365 * DAY_MS)
      : rng.between(0.5, 5);

  const activeFrom = Math.max(deliveredMs, startMs);
  const span = endMs - activeFrom;
  const at = (lo: number, hi: number): number => activeFrom + span * rng.between(lo, hi);
  let eventMs: number | null = null;
  let stopMs: number | null = null;
  let relocation;
  switch (behaviour) {
    case 'machine-sold':
      eventMs = businessTime(at(0.2, 0.8), rng) + DAY_MS;
      break;
    case 'machine-parked':
      eventMs = startOfDay(at(0.2, 0.8)) + DAY_MS;
      break;
    case 'machine-relocated': {
      // On one of the machine's snapshot days: its first fix from the new site is that evening.
      eventMs = onSnapshotDay(startOfDay(at(0.2, 0.8)) + DAY_MS, input, deliveredMs);
      // Two draws, as ever: the machines planned after this one stay the same.
      const site = rng.pick(relocationSitesFor(branchOf(input).location));
      const u = rng.next();
      relocation = destination(site, 360 * u, RELOCATION_JITTER_KM * ((u * 1000) % 1));
      break;
    }
    case 'detractor-who-leaves':
      eventMs = businessTime(activeFrom + Math.max(30 * DAY_MS, span * rng.between(0.15, 0.7)), rng) + DAY_MS;
      break;
    case 'slowly-eroding':
      eventMs = startOfDay(at(0.1, 0.45)) + DAY_MS;
      stopMs = businessTime(eventMs + rng.between(240, 420) * DAY_MS, rng);
      break;
    case 'leaves-after-warranty':
      // The end-of-warranty inspection: the last visit before the customer goes elsewhere.
      eventMs = Math.max(
        businessTime(warrantyEndsMs - rng.int(5, 25) * DAY_MS, rng),
        startOfDay(activeFrom) + DAY_MS + 8 * HOUR_MS,
      );
      break;
    case 'loyal':
    case 'self-maintaining':
      break;
  }

  const serialNumber = `${model.serialPrefix}-${10001 + index}`;
  const contract = rng.chance(CONTRACT_SHARE[behaviour] ?? 0)
    ? planContract(serialNumber, deliveredMs, warrantyEndsMs, hoursLimit, rng)
    : undefined;
  const home = destination(customer.site, rng.between(0, 360), rng.between(0, 8));
  const buyerHome = input.buyer && destination(input.buyer.site, rng.between(0, 360), rng.between(0, 8));
  return {
    index,
    serialNumber,
    model,
    behaviour,
    customer,
    home,
    deliveredMs,
    warrantyEndsMs,
    hoursLimit,
    annualHours,
    initialHours,
    contract,
    eventMs,
    stopMs,
    buyer: input.buyer,
    buyerHome,
    relocation,
    snapshotPhase: index % opts.snapshotDays, // onSnapshotDay relies on it
    snapshotMinute: rng.int(17 * 60, 20 * 60 + 59),
  };
}

function drawDelivery(input: MachinePlanInput, warrantyMonths: number): number {
  const { behaviour, range, rng } = input;
  const hi = range.startMs + 0.75 * (range.endMs - range.startMs);
  let lo = range.historyStartMs;
  if (behaviour === 'leaves-after-warranty') {
    // Let the warranty end inside the simulation when the history allows it, so the lapse is visible.
    const latestSeen = addMonths(range.startMs + 20 * DAY_MS, -warrantyMonths);
    if (latestSeen < hi) lo = Math.max(lo, latestSeen);
  }
  return businessTime(lo + rng.next() * (hi - lo), rng);
}

/**
 * `ms` (a UTC midnight) moved forward to the machine's next snapshot day, or back to the previous one when
 * that is past the end; unchanged when neither lies after the delivery and inside the period.
 */
function onSnapshotDay(ms: number, input: MachinePlanInput, deliveredMs: number): number {
  const { startMs, endMs } = input.range;
  const every = input.opts.snapshotDays;
  const phase = input.index % every;
  const day = Math.round((ms - startMs) / DAY_MS);
  const ahead = ms + ((every - ((day + phase) % every)) % every) * DAY_MS;
  if (ahead < endMs) return ahead;
  const back = ahead - every * DAY_MS;
  return back > deliveredMs && back >= startMs ? back : ms;
}

function branchOf(input: MachinePlanInput): BranchPlan {
  return input.branches.find((b) => b.id === input.customer.branchId)!;
}

function planContract(
  serialNumber: string,
  deliveredMs: number,
  warrantyEndsMs: number,
  hoursLimit: number,
  rng: Rng,
): ContractPlan {
  const purchasedMs = Math.max(
    businessTime(warrantyEndsMs - rng.int(10, 60) * DAY_MS, rng),
    deliveredMs + DAY_MS,
  );
  if (rng.chance(0.6)) {
    const months = rng.pick([12, 24]);
    return {
      contractId: `${serialNumber}-EW1`,
      kind: 'extended-warranty',
      purchasedMs,
      endsMs: addMonths(warrantyEndsMs, months),
      hoursLimit: hoursLimit + (2000 * months) / 12,
      amount: Math.round(rng.between(2500, 8000) / 10) * 10,
    };
  }
  const months = rng.pick([12, 24, 36]);
  return {
    contractId: `${serialNumber}-MC1`,
    kind: 'maintenance-contract',
    purchasedMs,
    endsMs: addMonths(warrantyEndsMs, months),
    amount: Math.round((rng.between(1500, 4000) * months) / 12 / 10) * 10,
  };
}
