import type { Behaviour } from '../options';
import type { MachinePlan } from '../plan/plan-types';
import { DAY_MS, HOUR_MS } from '../time';

export type MilestoneKind =
  | 'delivered'
  | 'expiring'
  | 'expired'
  | 'contract'
  | 'contract-expired'
  | 'sold'
  | 'parked'
  | 'relocated'
  | 'incident'
  | 'erosion'
  | 'erosion-stop'
  | 'inspection';

/** A dated turning point in a machine's life, handled on its day. */
export interface Milestone {
  ms: number;
  kind: MilestoneKind;
}

const TURNING_POINT: Record<Behaviour, MilestoneKind | null> = {
  loyal: null,
  'self-maintaining': null,
  'leaves-after-warranty': 'inspection',
  'slowly-eroding': 'erosion',
  'detractor-who-leaves': 'incident',
  'machine-sold': 'sold',
  'machine-parked': 'parked',
  'machine-relocated': 'relocated',
};

/** The machine's milestones inside [startMs, endMs), in time order; earlier ones are the opening balance. */
export function machineMilestones(plan: MachinePlan, startMs: number, endMs: number): Milestone[] {
  const list: Milestone[] = [];
  const add = (ms: number, kind: MilestoneKind): void => {
    if (ms >= startMs && ms < endMs) list.push({ ms, kind });
  };
  add(plan.deliveredMs, 'delivered');
  add(plan.warrantyEndsMs - 60 * DAY_MS + 6 * HOUR_MS, 'expiring');
  add(plan.warrantyEndsMs + HOUR_MS, 'expired');
  if (plan.contract) {
    add(plan.contract.purchasedMs, 'contract');
    add(plan.contract.endsMs + HOUR_MS, 'contract-expired');
  }
  const turningPoint = TURNING_POINT[plan.behaviour];
  if (turningPoint && plan.eventMs !== null) add(plan.eventMs, turningPoint);
  if (plan.stopMs !== null) add(plan.stopMs, 'erosion-stop');
  return list.sort((a, b) => a.ms - b.ms);
}
