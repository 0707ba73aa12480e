/**
 * Events of the latency benchmark (docs/EVENTS.md v1), stamped with the wall clock at which they are
 * produced: a registered fleet, a steady background stream of what a live dealer receives (telematics
 * snapshots mostly, parts sales and work orders), and detractor surveys as probes.
 */
import type { Message } from 'kafkajs';

export type TopicKind = 'telematics' | 'warranty' | 'service';

export interface Outgoing {
  kind: TopicKind;
  message: Message;
}

interface Machine {
  serial: string;
  dealerId: string;
  customerId: string;
  branchId: string;
  hours: number;
  seq: number;
}

const DAY = 86_400_000;

function event(
  kind: TopicKind,
  eventId: string,
  type: string,
  atMs: number,
  dealerId: string,
  data: Record<string, unknown>,
): Outgoing {
  const key = (data.serialNumber ?? data.customerId) as string;
  const source =
    kind === 'telematics' ? 'oem:gateway' : `dms:${typeof data.branchId === 'string' ? data.branchId : 'hq'}`;
  const value = JSON.stringify({
    eventId,
    type,
    occurredAt: new Date(atMs).toISOString(),
    dealerId,
    source,
    schemaVersion: 1,
    data,
  });
  return { kind, message: { key, value, timestamp: String(atMs) } };
}

/** mulberry32: small, fast, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fleet of `machines` machines of `dealers` dealers, three machines per customer on average. */
export class BenchFleet {
  private readonly rnd = prng(20261122);
  private readonly fleet: Machine[];
  private seq = 0;

  constructor(
    machines: number,
    private readonly runId: string,
    dealers = 4,
  ) {
    this.fleet = Array.from({ length: machines }, (_, m) => {
      const d = (m % dealers) + 1;
      return {
        serial: `PC2008-${runId}-${100000 + m}`,
        dealerId: `dealer-${d}`,
        customerId: `c-${d}-${Math.floor(m / dealers / 3)}`,
        branchId: `b-${d}-${m % 3}`,
        hours: Math.round(200 + this.rnd() * 3000),
        seq: 0,
      };
    });
  }

  /** Master data produced before the load: customers, machines under warranty (started a year ago). */
  registrations(nowMs: number): Outgoing[] {
    const out: Outgoing[] = [];
    const customers = new Map(this.fleet.map((m) => [m.customerId, m]));
    for (const [customerId, m] of customers) {
      out.push(
        event('service', `cu-${this.runId}-${customerId}`, 'customer.upserted', nowMs, m.dealerId, {
          customerId,
          name: `Customer ${customerId}`,
          branchId: m.branchId,
        }),
      );
    }
    for (const m of this.fleet) {
      out.push(
        event('warranty', `wr-${m.serial}`, 'warranty.registered', nowMs, m.dealerId, {
          serialNumber: m.serial,
          customerId: m.customerId,
          branchId: m.branchId,
          model: 'PC200-8',
          startsAt: new Date(nowMs - 300 * DAY).toISOString().slice(0, 10),
          endsAt: new Date(nowMs + 430 * DAY).toISOString().slice(0, 10),
        }),
      );
    }
    return out;
  }

  /** One background event at `atMs`: 85% telematics snapshots, 10% parts sales, 5% work orders. */
  next(atMs: number): Outgoing {
    const m = this.fleet[Math.floor(this.rnd() * this.fleet.length)];
    const id = (p: string) => `${p}-${m.serial}-${++m.seq}`;
    const r = this.rnd();
    this.seq++;
    if (r < 0.85) {
      m.hours = Math.round((m.hours + 0.5 + this.rnd()) * 10) / 10;
      return event('telematics', id('t'), 'telematics.snapshot', atMs, m.dealerId, {
        serialNumber: m.serial,
        cumulativeOperatingHours: m.hours,
        location: { latitude: 48 + this.rnd(), longitude: 11 + this.rnd() },
        engineRunning: this.rnd() < 0.7,
      });
    }
    if (r < 0.95) {
      return event('service', id('ps'), 'parts.sold', atMs, m.dealerId, {
        invoiceId: id('inv'),
        customerId: m.customerId,
        branchId: m.branchId,
        serialNumber: m.serial,
        amount: Math.round(50 + this.rnd() * 900),
        currency: 'EUR',
        category: this.rnd() < 0.5 ? 'filters' : 'wear-parts',
      });
    }
    return event('service', id('wo'), 'work-order.opened', atMs, m.dealerId, {
      workOrderId: id('w'),
      customerId: m.customerId,
      branchId: m.branchId,
      serialNumber: m.serial,
      kind: 'maintenance',
    });
  }
}

/** Probe customers: registered with the fleet, then each answers one survey with NPS 2 (a detractor). */
export class Probes {
  constructor(
    readonly count: number,
    private readonly runId: string,
  ) {}

  customerId(i: number): string {
    return `probe-${this.runId}-${i}`;
  }

  registrations(nowMs: number): Outgoing[] {
    return Array.from({ length: this.count }, (_, i) =>
      event('service', `cu-${this.customerId(i)}`, 'customer.upserted', nowMs, 'dealer-1', {
        customerId: this.customerId(i),
        name: `Probe ${i}`,
        branchId: 'b-1-0',
      }),
    );
  }

  /** The detractor survey of probe `i`, occurring at `atMs` (the wall time it is produced). */
  survey(i: number, atMs: number): Outgoing {
    return event('service', `sv-${this.customerId(i)}`, 'survey.responded', atMs, 'dealer-1', {
      surveyId: `s-${this.customerId(i)}`,
      customerId: this.customerId(i),
      nps: 2,
      comment: 'machine was down for a week',
    });
  }
}
