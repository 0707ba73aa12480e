import type { FaultSeverity, WarrantyContractKind, WorkOrderKind } from '@rp/contracts';

// Plain data the ingest layer fills from the Postgres projections. All instants are epoch ms
// (event time, `occurredAt` unless stated); arrays need not be sorted.

/** An instant and the event that proves it. */
export interface EventStamp {
  /** Event time, epoch ms. */
  readonly at: number;
  /** The input event's `eventId`. */
  readonly eventId: string;
}

/** One hour-meter reading (`cumulativeOperatingHours` of a telematics snapshot). */
export interface MeterReading extends EventStamp {
  /** Cumulative engine hours. */
  readonly hours: number;
}

/** One position fix (`location` of a telematics snapshot). */
export interface LocationFix extends EventStamp {
  readonly lat: number;
  readonly lon: number;
}

/**
 * One episode of a fault code on the machine, with its history, so that the rules see it exactly as it was at
 * any instant (`machineAsOf`) whatever later snapshots the state holds. At an instant the fault is open when
 * its first listing came by then, it was not cleared explicitly by then, and it was not lapsed then.
 */
export interface ActiveFault {
  readonly code: string;
  /** The latest listing's severity (see `severities` for earlier instants). */
  readonly severity: FaultSeverity;
  /** `firstSeenAt` of the snapshot, else the event time of the first snapshot reporting it. */
  readonly firstSeenAt: number;
  /** The snapshot that first reported it. */
  readonly eventId: string;
  /** Each snapshot in which the code (re)appeared after being absent or cleared. */
  readonly occurrences: readonly EventStamp[];
  /**
   * Absent when the severity never changed. Else the severity listed from each instant on (the first entry at
   * the first occurrence, one per listing that changed it): as of an earlier instant the fault had that one.
   */
  readonly severities?: readonly FaultSeverityChange[];
  /**
   * The first snapshot whose fault list lacked the code after its first listing: the fault is cleared from then
   * until its next occurrence (if any). Only a code listed once lapses: once it came back, an absence leaves it
   * open (intermittent), so its repeats still count.
   */
  readonly lapsedAt?: number;
  /** The snapshot that reported `clearedAt` for it: cleared for good from then (a later listing is a new episode). */
  readonly clearedAt?: number;
}

/** The severity a fault was listed with from `at` on. */
export interface FaultSeverityChange {
  readonly at: number;
  readonly severity: FaultSeverity;
}

/** A warranty term: the standard warranty or an extended cover / maintenance contract. */
export interface WarrantyTerm {
  readonly startsAt: number;
  readonly endsAt: number;
  /** Ends earlier when the hour meter reaches this (whichever comes first). */
  readonly hoursLimit?: number;
  /** `warranty.registered` (standard) or `warranty.extended` (cover). */
  readonly eventId: string;
  /**
   * Event time of that event: the term is unknown before it (a cover bought later does not cover an earlier
   * instant, even when the state already holds it). Absent: known all along.
   */
  readonly knownAt?: number;
  /** A `warranty.expired` event for this coverage, if one arrived. */
  readonly expired?: EventStamp;
  /** When the meter reached `hoursLimit`, if the ingest layer tracked it (else derived from readings). */
  readonly hoursLimitReached?: EventStamp;
}

/** An extended warranty or maintenance contract (`warranty.extended`). */
export interface Cover extends WarrantyTerm {
  readonly contractId: string;
  readonly kind: WarrantyContractKind;
}

/** A dealer work order (`work-order.opened` / `.closed`). */
export interface WorkOrder {
  readonly id: string;
  readonly kind: WorkOrderKind;
  readonly openedAt: number;
  /** Absent while open. An open order counts as a dealer visit (the machine is at the dealer). */
  readonly closedAt?: number;
  /** Closed with `laborAmount > 0`. */
  readonly labour: boolean;
  /** `hoursAtService` / `hoursAtOpen`, when the DMS sent it (as of an instant before closing: `hoursAtOpen`). */
  readonly hoursAtService?: number;
  /** `downtimeHours` of the closed order. */
  readonly downtimeHours?: number;
  /** The latest event of the order (closed, else opened). */
  readonly eventId: string;
  /** `work-order.opened`, when it arrived: the order's event as of an instant before it closed. */
  readonly openedEventId?: string;
  /** `hoursAtOpen` of the opening: the meter the order is known by before it closed. */
  readonly hoursAtOpen?: number;
}

/** `ownership.transferred` away from this machine's customer. */
export interface MachineSale extends EventStamp {
  readonly toCustomerId: string;
}

/** One machine of one customer, as the projections know it. */
export interface MachineState {
  readonly dealerId: string;
  readonly serialNumber: string;
  /** The customer whose relationship is evaluated (the seller, for a sold machine). */
  readonly customerId: string;
  /**
   * When this customer's ownership began (delivery, or the transfer to them), epoch ms: before it the machine
   * is not theirs and the rules leave it out, even when the state already holds it. Absent: owned all along.
   */
  readonly ownedSince?: number;
  /**
   * The customer's ownership began with a transfer (a used machine): its meter then is where its service hours
   * start. A delivery (`warranty.registered`) hands over a new machine: its hours count from 0 (its event may be
   * recorded long after the real delivery, when the dealer's history was loaded).
   */
  readonly acquiredByTransfer?: boolean;
  /** Branch that delivered / serves the machine; selects the service area. */
  readonly branchId: string;
  /** Selects `perModel` service intervals. */
  readonly model?: string;
  /** Hour-meter readings of at least the last 120 days (the longest look-back of the default rules). */
  readonly readings: readonly MeterReading[];
  /** Position fixes of at least the last 60 days. */
  readonly locations: readonly LocationFix[];
  /** Fault episodes (the as-of view keeps those open at the instant). */
  readonly faults: readonly ActiveFault[];
  /** Standard warranty (`warranty.registered`). */
  readonly warranty?: WarrantyTerm;
  /** Extended warranties and maintenance contracts. */
  readonly covers: readonly Cover[];
  /** Dealer work orders of this machine (at least the last 13 months, and the last maintenance). */
  readonly workOrders: readonly WorkOrder[];
  /** Set when the customer sold the machine on. */
  readonly sold?: MachineSale;
  /**
   * Latest telematics snapshot of any kind; absent for a machine that never reported. As of an earlier instant
   * the rules take the latest reading, position or fault report up to that instant instead.
   */
  readonly lastTelematics?: EventStamp;
}
