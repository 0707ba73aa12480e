import type { Behaviour } from './options';

/** Input topic kinds of EVENTS.md; the actual topic names are the caller's. */
export type SimTopic = 'telematics' | 'warranty' | 'service';
export const SIM_TOPICS: readonly SimTopic[] = Object.freeze(['telematics', 'warranty', 'service']);

export type SimEventType =
  | 'telematics.snapshot'
  | 'warranty.registered'
  | 'warranty.extended'
  | 'warranty.expiring'
  | 'warranty.expired'
  | 'ownership.transferred'
  | 'customer.upserted'
  | 'work-order.opened'
  | 'work-order.closed'
  | 'parts.sold'
  | 'complaint.opened'
  | 'complaint.resolved'
  | 'survey.responded';

/** An EVENTS.md v1 envelope; `occurredAt` is RFC 3339 UTC with `Z` and whole seconds. */
export interface SimEvent {
  eventId: string;
  type: SimEventType;
  occurredAt: string;
  dealerId: string;
  source: string;
  schemaVersion: 1;
  data: Record<string, unknown>;
}

/** One message as a producer sends it: topic kind, Kafka key (serial, else customer id) and value. */
export interface SimRecord {
  topic: SimTopic;
  key: string;
  event: SimEvent;
}

export type TopicCounts = Record<SimTopic, number>;

/**
 * Ground truth of one machine, for backtests.
 *
 * A dealer purchase is a `work-order.closed` or `parts.sold` event carrying the machine's serial
 * number (the simulator never sells parts without one), at that event's `occurredAt`.
 *
 * `lapsedAt` is the instant of the machine's last dealer purchase when its owner stopped buying for it
 * while it kept running: behaviours `leaves-after-warranty` (last purchase: the end-of-warranty
 * inspection shortly before the warranty end), `slowly-eroding` (a last small parts sale after months
 * of declining spend) and `detractor-who-leaves` (the repeat repair that ends in a bad survey and a
 * complaint). No dealer purchase for the machine follows it until the end of the simulation, and
 * that last purchase is itself inside the simulated period. Otherwise it is `null`: loyal and
 * self-maintaining owners keep buying, a sold machine's buyer keeps servicing it at the dealer, and
 * parked or relocated machines stop buying for a reason that is not churn (see `parkedAt`,
 * `relocatedAt`). `backtest --labels` treats the machine as a positive at cut-off c when `lapsedAt` ≤ c,
 * leaving it out when sold within c .. c + horizon or relocated (`relocatedAt` more than the rule set's
 * `machineRelocated.outsideDays` before c + horizon); whether it still runs comes from its telematics.
 *
 * `soldAt` is the `ownership.transferred` instant; `parkedAt` the UTC midnight from which the hour
 * meter stays flat; `relocatedAt` the instant of the first telematics fix from the new site, 650-1,200 km
 * from its branch (the move is on one of the machine's snapshot days; null when no fix came before the
 * end); `warrantyEndsAt` the standard warranty's `endsAt` (UTC midnight; the `hoursLimit` may end the
 * cover earlier). All instants are RFC 3339 UTC strings.
 */
export interface MachineLabel {
  dealerId: string;
  /** The owner at delivery. */
  customerId: string;
  serialNumber: string;
  /** The delivering branch. */
  branchId: string;
  behaviour: Behaviour;
  lapsedAt: string | null;
  soldAt: string | null;
  parkedAt: string | null;
  relocatedAt: string | null;
  warrantyEndsAt: string;
  deliveredAt: string;
  /** The owner at the end of the simulation (the buyer when sold). */
  finalCustomerId: string;
  oemName: string;
  model: string;
}
