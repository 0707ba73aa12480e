import type { MachineModel } from '../catalogue';
import type { Point } from '../geo';
import type { Behaviour } from '../options';
import type { Rng } from '../random/rng';
import { MINUTE_MS, startOfDay } from '../time';

export interface BranchPlan {
  id: string;
  name: string;
  location: Point;
}

export interface CustomerPlan {
  id: string;
  name: string;
  branchId: string;
  site: Point;
  phone?: string;
  email?: string;
  /** Shared by the customer's machines that draw a customer behaviour. */
  behaviour: Behaviour;
}

/** Everything decided up front: who owns what, where, and what happens when. */
export interface FleetPlan {
  startMs: number;
  endMs: number;
  branches: BranchPlan[];
  customers: CustomerPlan[];
  machines: MachinePlan[];
}

export interface ContractPlan {
  contractId: string;
  kind: 'extended-warranty' | 'maintenance-contract';
  purchasedMs: number;
  endsMs: number;
  hoursLimit?: number;
  amount: number;
}

export interface MachinePlan {
  index: number;
  serialNumber: string;
  model: MachineModel;
  behaviour: Behaviour;
  customer: CustomerPlan;
  home: Point;
  deliveredMs: number;
  warrantyEndsMs: number;
  hoursLimit: number;
  /** Mean engine hours per year while running. */
  annualHours: number;
  /** Hour meter at the start (opening balance) or at delivery. */
  initialHours: number;
  contract?: ContractPlan;
  /** The behaviour's turning point: sale, parking, relocation, incident, erosion start or last inspection. */
  eventMs: number | null;
  /** slowly-eroding: the last purchase. */
  stopMs: number | null;
  buyer?: CustomerPlan;
  buyerHome?: Point;
  relocation?: Point;
  snapshotPhase: number;
  /** Minute of the day (UTC) around which the daily snapshot is sent. */
  snapshotMinute: number;
}

/** A random instant in working hours (07:00-16:00 UTC) of the day containing `ms`. */
export const businessTime = (ms: number, rng: Rng): number => startOfDay(ms) + rng.int(420, 959) * MINUTE_MS;
