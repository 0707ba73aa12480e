import type { CustomerPlan, MachinePlan } from '../plan/plan-types';
import type { Rng } from '../random/rng';
import { DAY_MS, HOUR_MS, MINUTE_MS, dayOf } from '../time';
import {
  DEALER_PARTS_WEIGHTS,
  PARTS_CATEGORIES,
  SELF_SERVICE_PARTS_WEIGHTS,
  partsPrice,
  partsProfit,
  round1,
  round2,
  workOrderProfit,
  type PartsCategory,
} from './amounts';
import type { SimDay } from './day';
import type { EventFactory, Pending } from './event-factory';
import { complaintEvents, surveyResponded, type Mood } from './feedback';

type WorkOrderKind = 'maintenance' | 'repair' | 'inspection' | 'warranty-repair';

const SURVEY_SHARE = 0.3;
// Working hours of the desk, minutes after UTC midnight (07:00 to 15:59).
const OPENS_MIN = 420;
const CLOSES_MIN = 959;
const MINOR_COMPLAINTS_PER_DAY = 0.08 / 365;

/**
 * What the machine's owner buys at the dealer: scheduled services at the service interval, repairs
 * after serious faults, parts every few weeks (a purchase at least every ~100 days while active),
 * surveys and complaints. After `stop()` (or a behaviour's last purchase) nothing more is bought.
 */
export class DealerDesk {
  /** The hour meter; the machine adds each day's usage. */
  hours = 0;
  customer: CustomerPlan;
  /** Set when the behaviour's last purchase falls inside the simulated period. */
  lapsedAtMs: number | null = null;
  private active = true;
  private erosionFromMs = -1;
  private nextServiceAt = 0;
  private serviceDueDay = -1;
  private repairDueMs = -1;
  private nextPartsMs = Infinity;
  private busyUntil = 0;
  private contractBought = false;
  private workOrders = 0;
  private invoices = 0;
  private surveys = 0;
  private complaints = 0;
  private readonly serial: string;
  private readonly labour: boolean;

  constructor(
    private readonly plan: MachinePlan,
    private readonly rng: Rng,
    private readonly factory: EventFactory,
    private readonly endMs: number,
  ) {
    this.customer = plan.customer;
    this.serial = plan.serialNumber;
    this.labour = plan.behaviour !== 'self-maintaining';
  }

  delivered(ms: number, hours: number): void {
    this.hours = hours;
    this.nextServiceAt = this.serviceAfter(hours);
    this.nextPartsMs = ms + this.partsInterval(ms);
  }

  stop(): void {
    this.active = false;
  }

  startErosion(ms: number): void {
    this.erosionFromMs = ms;
  }

  /** A high or critical fault: a dealer-serviced machine comes in for repair within a week. */
  faultReported(day: SimDay): void {
    if (this.active && this.labour && this.repairDueMs < 0)
      this.repairDueMs = day.ms + this.rng.int(1, 6) * DAY_MS;
  }

  /**
   * The day's visits and sales, in working hours (07:00-16:00 UTC) and after `afterMs` (the day's last
   * milestone, e.g. a sale or delivery); nothing on a day whose milestone leaves no working time.
   */
  day(day: SimDay, out: Pending[], afterMs = -Infinity): void {
    if (!this.active) return;
    const { rng } = this;
    const first = Math.max(OPENS_MIN, Math.floor((afterMs - day.ms) / MINUTE_MS) + 1);
    if (first > CLOSES_MIN) return;
    const at = day.ms + rng.int(first, CLOSES_MIN) * MINUTE_MS;
    if (this.labour) {
      if (this.repairDueMs >= 0 && day.ms >= this.repairDueMs) {
        if (at > this.busyUntil) {
          this.repair(at, out);
          this.repairDueMs = -1;
        }
      } else if (this.hours >= this.nextServiceAt) {
        if (this.serviceDueDay < 0) this.serviceDueDay = day.index + rng.int(0, 6);
        if (day.index >= this.serviceDueDay && at > this.busyUntil) {
          // An eroding customer has more and more services done elsewhere.
          if (!rng.chance(this.erosion(at))) this.service(at, out);
          this.nextServiceAt = this.serviceAfter(this.hours);
          this.serviceDueDay = -1;
        }
      }
    } else if (this.hours >= this.nextServiceAt) {
      this.partsSale(at, 'maintenance-kit', 1, out);
      this.nextServiceAt = this.serviceAfter(this.hours);
    }
    if (day.ms + DAY_MS > this.nextPartsMs && day.dow !== 0) {
      const weights = this.labour ? DEALER_PARTS_WEIGHTS : SELF_SERVICE_PARTS_WEIGHTS;
      const at2 = day.ms + rng.int(first, CLOSES_MIN) * MINUTE_MS;
      this.partsSale(at2, PARTS_CATEGORIES[rng.weightedIndex(weights)], 1 - 0.75 * this.erosion(at2), out);
    }
    if (this.mood() === 'good' && rng.chance(MINOR_COMPLAINTS_PER_DAY)) this.complaint(at, 'low', out);
  }

  contract(ms: number, out: Pending[]): void {
    const c = this.plan.contract!;
    this.contractBought = true;
    out.push(
      this.factory.make('warranty.extended', ms, `wc-${c.contractId}`, this.serial, {
        serialNumber: this.serial,
        contractId: c.contractId,
        kind: c.kind,
        startsAt: dayOf(this.plan.warrantyEndsMs),
        endsAt: dayOf(c.endsMs),
        ...(c.hoursLimit === undefined ? {} : { hoursLimit: c.hoursLimit }),
        amount: c.amount,
        currency: this.factory.currency,
      }),
    );
  }

  /** leaves-after-warranty: the end-of-warranty inspection is the customer's last visit. */
  lastInspection(ms: number, out: Pending[]): void {
    if (!this.active) return;
    const open = Math.max(ms, this.busyUntil + HOUR_MS);
    const close = open + this.rng.int(120, 240) * MINUTE_MS;
    const labour = round2(this.rng.between(150, 400));
    const parts = round2(this.rng.between(0, 150));
    this.workOrder('inspection', open, close, labour, parts, (close - open) / HOUR_MS, out);
    this.last(close);
  }

  /** slowly-eroding: one last small parts sale after months of decline. */
  lastPartsSale(ms: number, out: Pending[]): void {
    if (!this.active) return;
    const at = Math.max(ms, this.busyUntil + HOUR_MS);
    this.partsSale(at, 'filters', 0.25, out);
    this.last(at);
  }

  /**
   * detractor-who-leaves: a repair with over a week of downtime, the same fault back within days, a
   * detractor survey and a complaint; the second repair is the last purchase.
   */
  incident(ms: number, out: Pending[]): void {
    if (!this.active) return;
    const { rng } = this;
    const open1 = Math.max(ms, this.busyUntil + HOUR_MS);
    const close1 = open1 + rng.int(6, 12) * DAY_MS + rng.int(0, 480) * MINUTE_MS;
    const kind1 = this.repairKind(open1);
    const labour1 = round2(rng.between(1500, 4500));
    this.workOrder(
      kind1,
      open1,
      close1,
      labour1,
      round2(rng.between(2000, 9000)),
      (close1 - open1) / HOUR_MS,
      out,
    );
    const open2 = close1 + rng.int(3, 12) * DAY_MS;
    const close2 = open2 + rng.int(20, 60) * HOUR_MS;
    const kind2 = this.repairKind(open2);
    this.workOrder(
      kind2,
      open2,
      close2,
      round2(rng.between(400, 1500)),
      round2(rng.between(300, 2500)),
      (close2 - open2) / HOUR_MS,
      out,
      false,
    );
    const surveyAt = close2 + rng.int(1, 3) * DAY_MS;
    this.survey(surveyAt, `${this.serial}-${this.workOrders}`, 'bad', out);
    this.complaint(surveyAt + rng.int(2, 48) * HOUR_MS, 'high', out);
    this.last(close2);
  }

  private last(ms: number): void {
    this.active = false;
    if (ms < this.endMs) this.lapsedAtMs = ms;
  }

  private erosion(ms: number): number {
    if (this.erosionFromMs < 0 || this.plan.stopMs === null) return 0;
    return Math.min(1, Math.max(0, (ms - this.erosionFromMs) / (this.plan.stopMs - this.erosionFromMs)));
  }

  private mood(): Mood {
    if (this.customer !== this.plan.customer) return 'good'; // a buyer of a used machine
    const b = this.plan.behaviour;
    return b === 'leaves-after-warranty' || b === 'slowly-eroding' ? 'neutral' : 'good';
  }

  private serviceAfter(hours: number): number {
    const interval = this.plan.model.serviceInterval;
    return (Math.floor(hours / interval) + 1) * interval;
  }

  private partsInterval(ms: number): number {
    return this.rng.between(20, 100) * DAY_MS * (1 + 2 * this.erosion(ms));
  }

  private underWarranty(ms: number): boolean {
    const { plan } = this;
    if (ms < plan.warrantyEndsMs && this.hours < plan.hoursLimit) return true;
    const c = plan.contract;
    return (
      this.contractBought &&
      c !== undefined &&
      c.kind === 'extended-warranty' &&
      ms < c.endsMs &&
      this.hours < (c.hoursLimit ?? Infinity)
    );
  }

  private repairKind(ms: number): WorkOrderKind {
    return this.underWarranty(ms) ? 'warranty-repair' : 'repair';
  }

  private service(at: number, out: Pending[]): void {
    const { rng } = this;
    const f = 1 - 0.75 * this.erosion(at);
    const close = at + rng.int(180, 540) * MINUTE_MS;
    const labour = round2(this.plan.model.serviceLabour * rng.between(0.85, 1.25) * f);
    const parts = round2(rng.between(250, 900) * f);
    this.workOrder('maintenance', at, close, labour, parts, (close - at) / HOUR_MS, out);
  }

  private repair(at: number, out: Pending[]): void {
    const { rng } = this;
    const close = at + rng.int(4, 48) * HOUR_MS;
    const labour = round2(rng.between(400, 3000));
    const parts = round2(rng.between(200, 6000));
    this.workOrder(
      this.repairKind(at),
      at,
      close,
      labour,
      parts,
      (close - at) / HOUR_MS + rng.between(0, 24),
      out,
    );
  }

  private workOrder(
    kind: WorkOrderKind,
    open: number,
    close: number,
    labour: number,
    parts: number,
    downtimeHours: number,
    out: Pending[],
    surveyed = this.rng.chance(SURVEY_SHARE),
  ): void {
    const workOrderId = `${this.serial}-${++this.workOrders}`;
    const hours = round1(this.hours);
    const head = {
      workOrderId,
      customerId: this.customer.id,
      branchId: this.customer.branchId,
      serialNumber: this.serial,
      kind,
    };
    out.push(
      this.factory.make('work-order.opened', open, `wo-${workOrderId}-opened`, this.serial, {
        ...head,
        hoursAtOpen: hours,
      }),
    );
    out.push(
      this.factory.make('work-order.closed', close, `wo-${workOrderId}-closed`, this.serial, {
        ...head,
        laborAmount: labour,
        partsAmount: parts,
        currency: this.factory.currency,
        grossProfit: workOrderProfit(labour, parts, kind === 'warranty-repair'),
        hoursAtService: hours,
        downtimeHours: round1(downtimeHours),
      }),
    );
    this.busyUntil = close;
    this.nextPartsMs = close + this.partsInterval(close);
    if (surveyed) this.survey(close + this.rng.int(1, 4) * DAY_MS, workOrderId, this.mood(), out);
  }

  private partsSale(at: number, category: PartsCategory, factor: number, out: Pending[]): void {
    const invoiceId = `${this.serial}-P${++this.invoices}`;
    const amount = partsPrice(category, factor, this.rng);
    out.push(
      this.factory.make('parts.sold', at, `ps-${invoiceId}`, this.serial, {
        invoiceId,
        customerId: this.customer.id,
        branchId: this.customer.branchId,
        serialNumber: this.serial,
        amount,
        currency: this.factory.currency,
        grossProfit: partsProfit(amount),
        category,
      }),
    );
    this.nextPartsMs = at + this.partsInterval(at);
  }

  private survey(at: number, workOrderId: string, mood: Mood, out: Pending[]): void {
    const surveyId = `${this.serial}-S${++this.surveys}`;
    out.push(
      surveyResponded(
        this.factory,
        this.rng,
        at,
        { surveyId, customerId: this.customer.id, serialNumber: this.serial, workOrderId },
        mood,
      ),
    );
  }

  private complaint(at: number, severity: 'low' | 'high', out: Pending[]): void {
    const complaintId = `${this.serial}-C${++this.complaints}`;
    complaintEvents(
      this.factory,
      this.rng,
      at,
      { complaintId, customerId: this.customer.id, serialNumber: this.serial },
      severity,
      out,
    );
  }
}
