import type { ComplaintSeverity, PartsCategory } from '@rp/contracts';
import type { EventStamp, WorkOrder } from './machine-state';

/** A parts sale (`parts.sold`) or a closed work order's invoice (`work-order.closed`). */
export interface Purchase extends EventStamp {
  /** Revenue in the dealer's currency (major units). */
  readonly amount: number;
  readonly kind: 'parts' | 'service';
  /** `parts.sold` category; drives SELF_MAINTENANCE_SHIFT. */
  readonly category?: PartsCategory;
  /** The event's `grossProfit`, when the DMS sent it (margin of the whole line; may be negative). */
  readonly grossProfit?: number;
  /** A work order's `laborAmount` (the rest of `amount` is parts): each part has its own margin rate. */
  readonly labourAmount?: number;
}

/** `complaint.opened`, resolved by `complaint.resolved`. */
export interface Complaint {
  readonly id: string;
  readonly openedAt: number;
  readonly resolvedAt?: number;
  readonly serialNumber?: string;
  readonly severity?: ComplaintSeverity;
  /** The `complaint.opened` event. */
  readonly eventId: string;
}

/** `survey.responded`. */
export interface SurveyResponse extends EventStamp {
  readonly id: string;
  readonly serialNumber?: string;
  readonly nps?: number;
  readonly ces?: number;
  readonly csat?: number;
  readonly comment?: string;
}

/** A BG/NBD probability-alive estimate computed by the value lib as of `at`. */
export interface AliveEstimate {
  /** A week start (`weekStart`): estimates sit on a fixed grid, not at the instants of evaluation. */
  readonly at: number;
  /** 0..1 */
  readonly p: number;
  /**
   * Repeat purchases (BG/NBD x) behind the estimate. With none the model says 1 (no chance to drop out
   * yet), which says nothing about retention: value estimates use the configured default then.
   */
  readonly repeats?: number;
}

/** Operating hours the customer's fleet ran on one UTC day. */
export interface FleetHoursDay {
  /** Start of the UTC day, epoch ms. */
  readonly at: number;
  readonly hours: number;
}

/** One customer of one dealer, as the projections know it. */
export interface CustomerState {
  readonly dealerId: string;
  readonly customerId: string;
  readonly branchId: string;
  /** Parts and service purchases of at least the last 30 months (spend erosion looks back that far). */
  readonly purchases: readonly Purchase[];
  /**
   * The latest purchase before `purchases` begins, when the caller loaded only a window of the history and the
   * customer bought before it (ACTIVE_BUT_SILENT measures the silence from it; PURCHASE_GAP knows the history
   * is not complete). Absent: `purchases` is the customer's whole purchase history. A caller that cuts the
   * history must set it, or a customer whose purchases all lie before the window reads as "no purchase on record".
   */
  readonly purchaseBeforeHistory?: EventStamp;
  readonly complaints: readonly Complaint[];
  /** Survey responses of at least the last 30 days. */
  readonly surveys: readonly SurveyResponse[];
  /**
   * Probability-alive estimates, one per week start, from the customer's first purchase (at least the last 90
   * days; ALIVE_PROBABILITY_DROP follows a run of low estimates back to where it began).
   */
  readonly pAlive: readonly AliveEstimate[];
  /** Daily fleet hours of at least the last 30 months. */
  readonly fleetHours: readonly FleetHoursDay[];
  /** Work orders without a serial number (machine ones live on MachineState). */
  readonly unattributedWorkOrders: readonly WorkOrder[];
}
