/**
 * A deterministic, realistic dealer fleet history (docs/EVENTS.md v1), generated lazily day by day so a
 * million events never sit in memory at once. Telematics snapshots are the bulk; the rest follows the
 * machines (see fleet-day.ts).
 */
import {
  DAY,
  machineDay,
  rfc3339,
  round1,
  type BenchMessage,
  type FleetCtx,
  type Machine,
} from './fleet-day';

export type { BenchMessage, TopicKind } from './fleet-day';

export interface FleetOptions {
  events: number;
  machines: number;
  dealers?: number;
  seed?: number;
}

const MODELS = [
  ['Komatsu', 'PC200-8'],
  ['Komatsu', 'WA380-6'],
  ['Takeuchi', 'TB290'],
  ['Hitachi', 'ZX135US-6'],
  ['Volvo', 'EC220E'],
  ['Liebherr', 'L 538'],
] as const;

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

/** Exactly `o.events` valid contract events, roughly in event-time order (day by day). */
export function* fleetEvents(o: FleetOptions): Generator<BenchMessage> {
  const rnd = prng(o.seed ?? 20260501);
  const dealers = o.dealers ?? 4;
  // About 1.1 events per machine-day: the window is sized for 1.0, so the last day is always in the past.
  const days = Math.max(7, Math.ceil(o.events / o.machines));
  const start = Math.floor(Date.now() / DAY) * DAY - (days + 1) * DAY;
  const agenda = new Map<number, (() => BenchMessage)[]>();
  const ctx: FleetCtx = {
    rnd,
    start,
    customersPerDealer: Math.max(1, Math.floor(o.machines / dealers / 3)),
    pick: (xs) => xs[Math.floor(rnd() * xs.length)],
    later: (day, make) => agenda.set(day, [...(agenda.get(day) ?? []), make]),
    msg: (kind, eventId, type, at, dealerId, data, offsetHours = 0) => {
      const source =
        kind === 'telematics'
          ? 'oem:gateway'
          : `dms:${typeof data.branchId === 'string' ? data.branchId : 'hq'}`;
      const occurredAt = rfc3339(at, offsetHours);
      const event = { eventId, type, occurredAt, dealerId, source, schemaVersion: 1, data };
      const key = (data.serialNumber ?? data.customerId) as string;
      return { kind, key, value: JSON.stringify(event), timestampMs: at + Math.floor(rnd() * 600_000) };
    },
  };

  const fleet: Machine[] = [];
  for (let m = 0; m < o.machines; m++) {
    const d = m % dealers;
    const [oem, model] = MODELS[m % MODELS.length];
    const ageDays = Math.floor(rnd() * 900);
    const delivered = start - ageDays * DAY;
    const hours = round1(ageDays * (2 + rnd() * 4));
    fleet.push({
      serial: `${model.replace(/\W/g, '')}-${100000 + m}`,
      dealer: d + 1,
      dealerId: `dealer-${d + 1}`,
      customerId: `c-${d + 1}-${Math.floor(Math.pow(rnd(), 1.6) * ctx.customersPerDealer)}`,
      branchId: `b-${d + 1}-${m % 3}`,
      oem,
      model,
      hours,
      idle: round1(hours * 0.2),
      fuel: Math.round(hours * 11),
      nextService: (Math.floor(hours / 250) + 1) * 250,
      delivered,
      warrantyEnd: delivered + (rnd() < 0.5 ? 365 : 730) * DAY,
      lat: 30 + rnd() * 20,
      lon: 100 + rnd() * 20,
      seq: 0,
    });
  }

  let emitted = 0;
  for (let day = 0; emitted < o.events; day++) {
    for (const make of agenda.get(day) ?? []) {
      if (emitted++ >= o.events) return;
      yield make();
    }
    agenda.delete(day);
    for (const mc of fleet) {
      for (const m of machineDay(ctx, mc, day)) {
        if (emitted++ >= o.events) return;
        yield m;
      }
    }
  }
}
