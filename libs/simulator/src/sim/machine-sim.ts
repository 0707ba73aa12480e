import { FAULT_CODES } from '../catalogue';
import type { Point } from '../geo';
import { round5 } from '../geo';
import type { CustomerPlan, MachinePlan } from '../plan/plan-types';
import type { Rng } from '../random/rng';
import type { MachineLabel } from '../records';
import { DAY_MS, HOUR_MS, MINUTE_MS, dayOf, rfc3339 } from '../time';
import { round1 } from './amounts';
import type { SimDay } from './day';
import { DealerDesk } from './dealer-desk';
import type { EventFactory, Pending } from './event-factory';
import { machineMilestones, type Milestone } from './milestones';

export interface SimContext {
  factory: EventFactory;
  startMs: number;
  endMs: number;
  snapshotDays: number;
  dealerId: string;
}

const FAULT_WEIGHTS = FAULT_CODES.map((f) => f.weight);
const FAULTS_PER_DAY = 0.01;

/**
 * One machine's life, day by day: milestones (delivery, warranty, the behaviour's turning point), dealer
 * visits while its owner still buys, usage on the hour meter and the evening telematics snapshot.
 */
export class MachineSim {
  readonly serialNumber: string;
  private readonly desk: DealerDesk;
  private readonly milestones: Milestone[];
  private nextMilestone = 0;
  private readonly hoursPerDay: number;
  private delivered = false;
  private running = true;
  private home: Point;
  private idle = 0;
  private fuel = 0;
  private soldAtMs: number | null = null;
  private parkedAtMs: number | null = null;
  private relocatedAtMs: number | null = null;
  private movedAway = false;

  constructor(
    readonly plan: MachinePlan,
    private readonly rng: Rng,
    private readonly ctx: SimContext,
  ) {
    this.serialNumber = plan.serialNumber;
    this.home = plan.home;
    this.hoursPerDay = plan.annualHours / 365;
    this.milestones = machineMilestones(plan, ctx.startMs, ctx.endMs);
    this.desk = new DealerDesk(plan, rng, ctx.factory, ctx.endMs);
  }

  /** Emits the opening balance at the start: a machine delivered before the simulated period. */
  openingBalance(out: Pending[]): void {
    const { plan, ctx } = this;
    if (plan.deliveredMs >= ctx.startMs) return;
    this.deliver(ctx.startMs, out);
    if (plan.warrantyEndsMs + HOUR_MS < ctx.startMs)
      this.expired(ctx.startMs, 'standard', plan.warrantyEndsMs, out);
    const contract = plan.contract;
    if (contract && contract.purchasedMs < ctx.startMs && contract.endsMs + HOUR_MS >= ctx.startMs) {
      this.desk.contract(ctx.startMs, out);
    }
  }

  runDay(day: SimDay, out: Pending[]): void {
    const dayEnd = day.ms + DAY_MS;
    // The desk's visits that day come after the day's milestones (a delivery, a sale): no purchase by the
    // buyer before the transfer, no service before the registration.
    let after = -Infinity;
    while (this.nextMilestone < this.milestones.length && this.milestones[this.nextMilestone].ms < dayEnd) {
      const m = this.milestones[this.nextMilestone++];
      this.milestone(m, out);
      after = Math.max(after, m.ms);
    }
    if (!this.delivered) return;
    this.desk.day(day, out, after);
    if (this.running) {
      const h = this.hoursPerDay * day.usage * this.rng.between(0.5, 1.5);
      this.desk.hours += h;
      this.idle += h * this.rng.between(0.2, 0.35);
      this.fuel += h * this.plan.model.fuelLitresPerHour * this.rng.between(0.85, 1.15);
    }
    if ((day.index + this.plan.snapshotPhase) % this.ctx.snapshotDays === 0) this.snapshot(day, out);
  }

  label(): MachineLabel {
    const { plan } = this;
    const at = (ms: number | null): string | null => (ms === null ? null : rfc3339(ms));
    return {
      dealerId: this.ctx.dealerId,
      customerId: plan.customer.id,
      serialNumber: plan.serialNumber,
      branchId: plan.customer.branchId,
      behaviour: plan.behaviour,
      lapsedAt: at(this.desk.lapsedAtMs),
      soldAt: at(this.soldAtMs),
      parkedAt: at(this.parkedAtMs),
      relocatedAt: at(this.relocatedAtMs),
      warrantyEndsAt: rfc3339(plan.warrantyEndsMs),
      deliveredAt: rfc3339(plan.deliveredMs),
      finalCustomerId: this.desk.customer.id,
      oemName: plan.model.oemName,
      model: plan.model.model,
    };
  }

  private milestone(m: Milestone, out: Pending[]): void {
    const { plan, desk } = this;
    switch (m.kind) {
      case 'delivered':
        return this.deliver(m.ms, out);
      case 'expiring':
        out.push(
          this.ctx.factory.make('warranty.expiring', m.ms, `wx-${this.serialNumber}`, this.serialNumber, {
            serialNumber: this.serialNumber,
            endsAt: dayOf(plan.warrantyEndsMs),
          }),
        );
        return;
      case 'expired':
        return this.expired(m.ms, 'standard', plan.warrantyEndsMs, out);
      case 'contract':
        return desk.contract(m.ms, out);
      case 'contract-expired':
        return this.expired(m.ms, plan.contract!.kind, plan.contract!.endsMs, out);
      case 'sold':
        return this.sold(m.ms, plan.buyer!, out);
      case 'parked':
        this.running = false;
        desk.stop();
        this.parkedAtMs = m.ms;
        return;
      case 'relocated':
        this.home = plan.relocation!;
        desk.stop();
        this.movedAway = true; // relocatedAt: the first fix from the new site
        return;
      case 'incident':
        return desk.incident(m.ms, out);
      case 'erosion':
        return desk.startErosion(m.ms);
      case 'erosion-stop':
        return desk.lastPartsSale(m.ms, out);
      case 'inspection':
        return desk.lastInspection(m.ms, out);
    }
  }

  private deliver(ms: number, out: Pending[]): void {
    const { plan } = this;
    this.delivered = true;
    this.desk.delivered(ms, plan.initialHours);
    this.idle = plan.initialHours * this.rng.between(0.2, 0.3);
    this.fuel = plan.initialHours * plan.model.fuelLitresPerHour;
    out.push(
      this.ctx.factory.make('warranty.registered', ms, `wr-${plan.serialNumber}`, plan.serialNumber, {
        serialNumber: plan.serialNumber,
        customerId: plan.customer.id,
        branchId: plan.customer.branchId,
        oemName: plan.model.oemName,
        model: plan.model.model,
        startsAt: dayOf(plan.deliveredMs),
        endsAt: dayOf(plan.warrantyEndsMs),
        hoursLimit: plan.hoursLimit,
      }),
    );
  }

  private expired(ms: number, coverage: string, endedMs: number, out: Pending[]): void {
    out.push(
      this.ctx.factory.make(
        'warranty.expired',
        ms,
        `we-${this.serialNumber}-${coverage}`,
        this.serialNumber,
        {
          serialNumber: this.serialNumber,
          endedAt: dayOf(endedMs),
          coverage,
        },
      ),
    );
  }

  private sold(ms: number, buyer: CustomerPlan, out: Pending[]): void {
    out.push(
      this.ctx.factory.make('ownership.transferred', ms, `ot-${this.serialNumber}`, this.serialNumber, {
        serialNumber: this.serialNumber,
        fromCustomerId: this.desk.customer.id,
        toCustomerId: buyer.id,
        branchId: buyer.branchId,
      }),
    );
    this.desk.customer = buyer;
    this.home = this.plan.buyerHome!;
    this.soldAtMs = ms;
  }

  private snapshot(day: SimDay, out: Pending[]): void {
    const { rng } = this;
    const ms = day.ms + (this.plan.snapshotMinute + rng.int(0, 9)) * MINUTE_MS;
    if (this.movedAway && this.relocatedAtMs === null) this.relocatedAtMs = ms;
    const jitter = this.running ? 0.01 : 0.0005; // a working machine moves around its site
    const data: Record<string, unknown> = {
      serialNumber: this.serialNumber,
      oemName: this.plan.model.oemName,
      model: this.plan.model.model,
      cumulativeOperatingHours: round1(this.desk.hours),
      cumulativeIdleHours: round1(this.idle),
      fuelUsedLitres: round1(this.fuel),
      location: {
        latitude: round5(this.home.latitude + rng.between(-jitter, jitter)),
        longitude: round5(this.home.longitude + rng.between(-jitter, jitter)),
      },
      engineRunning: this.running && rng.chance(0.3),
    };
    if (this.running && rng.chance(Math.min(0.5, FAULTS_PER_DAY * this.ctx.snapshotDays))) {
      const fault = FAULT_CODES[rng.weightedIndex(FAULT_WEIGHTS)];
      data.faultCodes = [
        {
          code: fault.code,
          severity: fault.severity,
          firstSeenAt: rfc3339(ms - rng.int(0, 300) * MINUTE_MS),
        },
      ];
      if (fault.severity === 'high' || fault.severity === 'critical') this.desk.faultReported(day);
    }
    out.push(
      this.ctx.factory.make(
        'telematics.snapshot',
        ms,
        `t-${this.serialNumber}-${day.index}`,
        this.serialNumber,
        data,
      ),
    );
  }
}
