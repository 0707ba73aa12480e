export type TopicKind = 'telematics' | 'warranty' | 'service';

export interface BenchMessage {
  kind: TopicKind;
  key: string;
  value: string;
  /** Kafka message timestamp (ms): when the producer sent it, shortly after the event. */
  timestampMs: number;
}

export const DAY = 86_400_000;
export const round1 = (n: number): number => Math.round(n * 10) / 10;
export const date = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** RFC 3339; DMS systems often send local time with an offset, telematics gateways UTC. */
export function rfc3339(ms: number, offsetHours = 0): string {
  if (offsetHours === 0) return new Date(ms).toISOString();
  const local = new Date(ms + offsetHours * 3_600_000).toISOString().slice(0, 19);
  return `${local}+${String(offsetHours).padStart(2, '0')}:00`;
}

export interface Machine {
  serial: string;
  dealer: number;
  dealerId: string;
  customerId: string;
  branchId: string;
  oem: string;
  model: string;
  hours: number;
  idle: number;
  fuel: number;
  nextService: number;
  delivered: number;
  warrantyEnd: number;
  lat: number;
  lon: number;
  seq: number;
}

export interface FleetCtx {
  rnd: () => number;
  pick: <T>(xs: readonly T[]) => T;
  /** Day 0 of the window (ms). */
  start: number;
  customersPerDealer: number;
  /** Schedules an event for a later day (closures, surveys, resolutions). */
  later: (day: number, make: () => BenchMessage) => void;
  msg: (
    kind: TopicKind,
    eventId: string,
    type: string,
    at: number,
    dealerId: string,
    data: Record<string, unknown>,
    offsetHours?: number,
  ) => BenchMessage;
}

const H = 3_600_000;
const FAULTS = ['CA431', 'CA2185', 'E0123', 'P0087', 'CB115', 'DH21KA'];
const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
const PARTS = ['maintenance-kit', 'filters', 'wear-parts', 'repair-parts', 'other'] as const;

/** One machine's events of one day, in event-time order. */
export function* machineDay(c: FleetCtx, mc: Machine, day: number): Generator<BenchMessage> {
  const { rnd, msg } = c;
  const t0 = c.start + day * DAY;
  const id = (p: string) => `${p}-${mc.serial}-${++mc.seq}`;
  const { dealerId, customerId, branchId, serial: serialNumber } = mc;
  const tz = 1 + (mc.dealer % 2);
  if (day === 0) {
    if (rnd() < 0.4) {
      yield msg('service', id('cu'), 'customer.upserted', t0, dealerId, {
        customerId,
        name: `Customer ${customerId}`,
        branchId,
        phone: '+49 30 1234567',
        email: `${customerId}@example.com`,
      });
    }
    yield msg('warranty', id('wr'), 'warranty.registered', t0 + 60_000, dealerId, {
      serialNumber,
      customerId,
      branchId,
      oemName: mc.oem,
      model: mc.model,
      startsAt: date(mc.delivered),
      endsAt: date(mc.warrantyEnd),
      hoursLimit: 4000,
    });
  }
  const weekday = new Date(t0).getUTCDay() % 6 !== 0;
  const used = weekday ? rnd() * 9 : rnd() * 2;
  mc.hours = round1(mc.hours + used);
  mc.idle = round1(mc.idle + used * 0.25);
  mc.fuel = Math.round(mc.fuel + used * 12);
  if (rnd() < 0.93) {
    const glitch = rnd() < 0.002; // meter glitch: flagged downstream, never rejected
    const faults =
      rnd() < 0.06
        ? [{ code: c.pick(FAULTS), severity: c.pick(SEVERITIES), firstSeenAt: rfc3339(t0 + H) }]
        : undefined;
    yield msg('telematics', `t-${serialNumber}-${day}`, 'telematics.snapshot', t0 + 17 * H, dealerId, {
      serialNumber,
      oemName: mc.oem,
      model: mc.model,
      cumulativeOperatingHours: glitch ? Math.max(0, mc.hours - 40) : mc.hours,
      cumulativeIdleHours: mc.idle,
      fuelUsedLitres: mc.fuel,
      location: { latitude: round1(mc.lat + rnd() * 0.05), longitude: round1(mc.lon + rnd() * 0.05) },
      engineRunning: rnd() < 0.3,
      ...(faults && { faultCodes: faults }),
    });
  }
  const at = t0 + 9 * H;
  const repair = rnd() < 1 / 120;
  if (mc.hours >= mc.nextService || repair) {
    const kind = repair ? (t0 < mc.warrantyEnd ? 'warranty-repair' : 'repair') : 'maintenance';
    if (!repair) mc.nextService += 250;
    const workOrderId = `wo-${serialNumber}-${mc.seq + 1}`;
    const base = { workOrderId, customerId, branchId, serialNumber, kind };
    yield msg(
      'service',
      id('woo'),
      'work-order.opened',
      at,
      dealerId,
      { ...base, hoursAtOpen: mc.hours },
      tz,
    );
    const closeDay = day + 1 + Math.floor(rnd() * 3);
    const labor = Math.round(200 + rnd() * 1800);
    const parts = Math.round(100 + rnd() * 3000);
    const closed = {
      ...base,
      laborAmount: labor,
      partsAmount: parts,
      currency: 'EUR',
      grossProfit: Math.round((labor + parts) * 0.28),
      hoursAtService: mc.hours,
      downtimeHours: round1(rnd() * 30),
    };
    c.later(closeDay, () =>
      msg('service', id('woc'), 'work-order.closed', c.start + closeDay * DAY + 15 * H, dealerId, closed, tz),
    );
    if (rnd() < 0.35) {
      const sDay = closeDay + 1 + Math.floor(rnd() * 5);
      const survey = {
        surveyId: `sv-${workOrderId}`,
        customerId,
        serialNumber,
        workOrderId,
        nps: Math.floor(rnd() * 11),
        csat: 1 + Math.floor(rnd() * 5),
        ...(rnd() < 0.3 && { comment: 'Technician on time, parts took long.' }),
      };
      c.later(sDay, () =>
        msg('service', id('sv'), 'survey.responded', c.start + sDay * DAY + 11 * H, dealerId, survey),
      );
    }
  }
  if (rnd() < 1 / 25) {
    const amount = Math.round(20 + rnd() * 900);
    const sale = { invoiceId: `inv-${serialNumber}-${mc.seq}`, customerId, branchId, serialNumber, amount };
    const extra = { currency: 'EUR', grossProfit: Math.round(amount * 0.35), category: c.pick(PARTS) };
    yield msg('service', id('ps'), 'parts.sold', at + H, dealerId, { ...sale, ...extra }, tz);
  }
  if (rnd() < 1 / 500) {
    const complaintId = `cp-${serialNumber}-${mc.seq}`;
    const severity = c.pick(['low', 'medium', 'high'] as const);
    const opened = { complaintId, customerId, serialNumber, category: 'response-time', severity };
    yield msg('service', id('cpo'), 'complaint.opened', at + 2 * H, dealerId, opened);
    const rDay = day + 3 + Math.floor(rnd() * 17);
    if (rnd() < 0.8) {
      const resolvedAt = c.start + rDay * DAY + 10 * H;
      c.later(rDay, () =>
        msg('service', id('cpr'), 'complaint.resolved', resolvedAt, dealerId, { complaintId, customerId }),
      );
    }
  }
  if (rnd() < 1 / 600) {
    const phone = `+49 30 ${Math.floor(rnd() * 9_000_000 + 1_000_000)}`;
    const name = `Customer ${customerId}`;
    yield msg('service', id('cu'), 'customer.upserted', at, dealerId, { customerId, name, branchId, phone });
  }
  yield* warrantyDay(c, mc, t0);
}

/** Warranty lifecycle around the end of cover, and the odd resale. */
function* warrantyDay(c: FleetCtx, mc: Machine, t0: number): Generator<BenchMessage> {
  const { dealerId, serial: serialNumber } = mc;
  const id = (p: string) => `${p}-${serialNumber}-${++mc.seq}`;
  const toEnd = Math.round((mc.warrantyEnd - t0) / DAY);
  const endsAt = date(mc.warrantyEnd);
  if (toEnd === 30) {
    yield c.msg('warranty', id('wx'), 'warranty.expiring', t0 + 8 * H, dealerId, { serialNumber, endsAt });
  }
  if (toEnd === 10 && c.rnd() < 0.35) {
    yield c.msg('warranty', id('we'), 'warranty.extended', t0 + 14 * H, dealerId, {
      serialNumber,
      contractId: `mc-${serialNumber}`,
      kind: c.rnd() < 0.5 ? 'extended-warranty' : 'maintenance-contract',
      startsAt: endsAt,
      endsAt: date(mc.warrantyEnd + 730 * DAY),
      amount: Math.round(3000 + c.rnd() * 9000),
      currency: 'EUR',
    });
  }
  if (toEnd === 0) {
    const expired = { serialNumber, endedAt: endsAt, coverage: 'standard' };
    yield c.msg('warranty', id('wd'), 'warranty.expired', t0 + H, dealerId, expired);
  }
  if (c.rnd() < 1 / 3000) {
    const toCustomerId = `c-${mc.dealer}-${Math.floor(c.rnd() * c.customersPerDealer)}`;
    if (toCustomerId !== mc.customerId) {
      const transfer = { serialNumber, fromCustomerId: mc.customerId, toCustomerId, branchId: mc.branchId };
      yield c.msg('warranty', id('ot'), 'ownership.transferred', t0 + 12 * H, dealerId, transfer);
      mc.customerId = toCustomerId;
    }
  }
}
