import { BRANCH_NAMES, COMPANY_SUFFIXES, MACHINE_MODELS, SURNAMES } from '../catalogue';
import { destination, type Point } from '../geo';
import { BEHAVIOURS, CUSTOMER_BEHAVIOURS, type Behaviour, type ResolvedSimulationOptions } from '../options';
import type { Rng } from '../random/rng';
import { addMonths, parseDay } from '../time';
import { planMachine } from './machine-plan';
import type { BranchPlan, CustomerPlan, FleetPlan, MachinePlan } from './plan-types';

// Centre of the dealer's territory; branches lie within a few hundred km of it.
const REGION_CENTRE: Point = { latitude: 50.5, longitude: 9.5 };

export function buildFleetPlan(opts: ResolvedSimulationOptions, rng: Rng): FleetPlan {
  const startMs = parseDay(opts.start)!;
  const endMs = addMonths(startMs, opts.months);
  const branches = planBranches(opts.branches, rng);
  const customers = planCustomers(opts, branches, rng);
  const machineWeights = BEHAVIOURS.map((b) => opts.behaviourMix[b]);
  const range = { startMs, endMs, historyStartMs: addMonths(startMs, -opts.historyMonths) };
  const machines: MachinePlan[] = [];
  for (let i = 0; i < opts.machines; i++) {
    // The first machines give every customer one; the rest favour the low indices (bigger fleets).
    const customer =
      i < customers.length ? customers[i] : customers[Math.floor(customers.length * rng.next() ** 2)];
    const drawn = BEHAVIOURS[rng.weightedIndex(machineWeights)];
    const behaviour = (CUSTOMER_BEHAVIOURS as readonly Behaviour[]).includes(drawn)
      ? customer.behaviour
      : drawn;
    const model = rng.pick(MACHINE_MODELS);
    let buyer: CustomerPlan | undefined;
    if (behaviour === 'machine-sold') {
      const other = rng.int(0, customers.length - 2);
      buyer = customers[other >= customer.index ? other + 1 : other];
    }
    machines.push(planMachine({ index: i, model, behaviour, customer, buyer, opts, range, branches, rng }));
  }
  return { startMs, endMs, branches, customers, machines };
}

function planBranches(count: number, rng: Rng): BranchPlan[] {
  return Array.from({ length: count }, (_, i) => {
    const name =
      BRANCH_NAMES[i % BRANCH_NAMES.length] + (i < BRANCH_NAMES.length ? '' : ` ${Math.floor(i / 10) + 1}`);
    const location =
      count === 1
        ? REGION_CENTRE
        : destination(REGION_CENTRE, (360 * i) / count + rng.between(-15, 15), rng.between(40, 220));
    return { id: `b-${i + 1}`, name: `Branch ${name}`, location };
  });
}

type IndexedCustomer = CustomerPlan & { index: number };

function planCustomers(opts: ResolvedSimulationOptions, branches: BranchPlan[], rng: Rng): IndexedCustomer[] {
  const weights = CUSTOMER_BEHAVIOURS.map((b) => opts.behaviourMix[b]);
  const anyCustomerLevel = weights.some((w) => w > 0);
  return Array.from({ length: opts.customers }, (_, i) =>
    newCustomer(
      i + 1,
      anyCustomerLevel ? CUSTOMER_BEHAVIOURS[rng.weightedIndex(weights)] : 'loyal',
      branches,
      rng,
    ),
  );
}

function newCustomer(n: number, behaviour: Behaviour, branches: BranchPlan[], rng: Rng): IndexedCustomer {
  const branch = rng.pick(branches);
  const name = `${rng.pick(SURNAMES)} ${rng.pick(COMPANY_SUFFIXES)}`;
  const slug = name.toLowerCase().replace(/[^a-z]+/g, '-');
  return {
    index: n - 1,
    id: `c-${String(n).padStart(5, '0')}`,
    name,
    branchId: branch.id,
    site: destination(branch.location, rng.between(0, 360), rng.between(2, 60)),
    ...(rng.chance(0.7) ? { phone: `+49 ${rng.int(151, 179)} ${rng.int(1_000_000, 9_999_999)}` } : {}),
    ...(rng.chance(0.6) ? { email: `office@${slug}${n}.example` } : {}),
    behaviour,
  };
}
