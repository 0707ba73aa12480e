import { kafkaKeyFor, parseEvent } from '@rp/contracts';
import { eventJson, toNdjsonLine } from './output/ndjson';
import { SimulationOptionsError } from './options';
import { DAY, runAll } from './spec-helpers';
import { simulateFleet, simulationLabels } from './simulate-fleet';

const SMALL = { seed: 7, machines: 40, months: 6, historyMonths: 24, start: '2024-03-01' };
const ndjson = (opts: Parameters<typeof runAll>[0]): string =>
  runAll(opts)
    .records.map((r) => toNdjsonLine(r))
    .join('\n');

describe('simulateFleet', () => {
  const { records, result } = runAll(SMALL);
  const startMs = Date.parse('2024-03-01T00:00:00Z');
  const endMs = Date.parse('2024-09-01T00:00:00Z');

  it('is deterministic: the same seed and options give byte-identical NDJSON', () => {
    const first = ndjson(SMALL);
    expect(first.length).toBeGreaterThan(100_000);
    expect(ndjson(SMALL)).toBe(first);
  });

  it('a simulation differing only in --start (the demo re-run a month later) shares no event id', () => {
    const ids = (opts: Parameters<typeof runAll>[0]) =>
      new Set(runAll(opts).records.map((r) => r.event.eventId));
    const june = ids({ ...SMALL, start: '2026-06-01' });
    const july = ids({ ...SMALL, start: '2026-07-01' });
    expect(june.size).toBeGreaterThan(1_000);
    expect([...july].filter((id) => june.has(id))).toEqual([]);
    // Same seed, same per-machine counters: only the options hash in the prefix tells them apart.
    expect([...june].every((id) => /^sim-7-[0-9a-f]{8}-/.test(id))).toBe(true);
  });

  it.each([
    ['months', { months: 4 }],
    ['historyMonths', { historyMonths: 12 }],
    ['machines', { machines: 9 }],
    ['customers', { customers: 3 }],
    ['branches', { branches: 2 }],
    ['snapshotDays', { snapshotDays: 7 }],
    ['behaviourMix', { behaviourMix: { loyal: 1, 'machine-sold': 1 } }],
    ['dealerId', { dealerId: 'other-dealer' }],
    ['currency', { currency: 'USD' }],
    ['source', { source: 'other-source' }],
  ])('another %s gives disjoint event ids; the same options the same ids', (_name, change) => {
    const base = { seed: 7, machines: 8, months: 3, historyMonths: 24, start: '2024-03-01' };
    const ids = (opts: Parameters<typeof runAll>[0]) => runAll(opts).records.map((r) => r.event.eventId);
    const first = ids(base);
    expect(ids(base)).toEqual(first);
    const seen = new Set(first);
    expect(ids({ ...base, ...change }).filter((id) => seen.has(id))).toEqual([]);
  });

  it('a different seed gives a different history', () => {
    expect(ndjson({ ...SMALL, seed: 8 })).not.toBe(ndjson(SMALL));
  });

  it('every event passes the v1 contract on its topic, keyed as EVENTS.md says', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const rejected: string[] = [];
    for (const r of records) {
      const parsed = parseEvent(eventJson(r.event), { topicKind: r.topic, now });
      if (!parsed.ok) {
        rejected.push(`${r.event.type} ${parsed.code} ${parsed.message}`);
        continue;
      }
      expect(r.key).toBe(kafkaKeyFor(parsed.event));
    }
    expect(rejected).toEqual([]);
    const types = new Set(records.map((r) => r.event.type));
    expect([...types].sort()).toEqual([
      'complaint.opened',
      'complaint.resolved',
      'customer.upserted',
      'ownership.transferred',
      'parts.sold',
      'survey.responded',
      'telematics.snapshot',
      'warranty.expired',
      'warranty.expiring',
      'warranty.extended',
      'warranty.registered',
      'work-order.closed',
      'work-order.opened',
    ]);
  });

  it('emits events in non-decreasing time inside the period, with unique ids and UTC Z timestamps', () => {
    let last = -Infinity;
    const ids = new Set<string>();
    for (const r of records) {
      expect(r.event.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      const ms = Date.parse(r.event.occurredAt);
      expect(ms).toBeGreaterThanOrEqual(last);
      expect(ms).toBeGreaterThanOrEqual(startMs);
      expect(ms).toBeLessThan(endMs);
      last = ms;
      ids.add(r.event.eventId);
    }
    expect(ids.size).toBe(records.length);
    expect(result.counts.telematics + result.counts.warranty + result.counts.service).toBe(records.length);
  });

  it('opens with customers and an opening balance: older machines registered at the start, some out of warranty', () => {
    const atStart = records.filter((r) => r.event.occurredAt === '2024-03-01T00:00:00Z');
    const customers = atStart.filter((r) => r.event.type === 'customer.upserted');
    expect(customers).toHaveLength(result.options.customers);
    expect(records.findIndex((r) => r.event.type !== 'customer.upserted')).toBe(customers.length);
    const opening = atStart.filter((r) => r.event.type === 'warranty.registered');
    expect(opening.length).toBeGreaterThan(10);
    const expiredBefore = opening.filter((r) => Date.parse(r.event.data.endsAt as string) < startMs);
    expect(expiredBefore.length).toBeGreaterThan(0);
    for (const r of opening) expect(Date.parse(r.event.data.startsAt as string)).toBeLessThan(startMs);
    // The first snapshot of an opening-balance machine carries its accumulated hours.
    const serial = opening[0].key;
    const delivered = Date.parse(opening[0].event.data.startsAt as string);
    const first = records.find((r) => r.event.type === 'telematics.snapshot' && r.key === serial)!;
    const years = (startMs - delivered) / (365 * DAY);
    expect(first.event.data.cumulativeOperatingHours).toBeGreaterThan(years * 500 * 0.9);
    expect(first.event.data.cumulativeOperatingHours).toBeLessThan(years * 1500 * 1.1 + 10);
  });

  it('sends one snapshot per machine every snapshotDays', () => {
    const { records: weekly } = runAll({ ...SMALL, machines: 5, historyMonths: 36, snapshotDays: 7 });
    const bySerial = new Map<string, number[]>();
    for (const r of weekly.filter((x) => x.event.type === 'telematics.snapshot')) {
      bySerial.set(r.key, [...(bySerial.get(r.key) ?? []), Date.parse(r.event.occurredAt)]);
    }
    expect(bySerial.size).toBe(5);
    for (const times of bySerial.values()) {
      for (let i = 1; i < times.length; i++) {
        expect(Math.round((times[i] - times[i - 1]) / DAY)).toBe(7);
      }
    }
  });

  it('streams: the first record is available before the whole history is generated', () => {
    const gen = simulateFleet({ machines: 3000, months: 120, snapshotDays: 1 });
    const t0 = Date.now();
    const first = gen.next();
    expect(first.done).toBe(false);
    // 3000 machines x 10 years would take far longer; only the first window was built.
    expect(Date.now() - t0).toBeLessThan(5000);
    void gen.return(undefined as never);
  });

  it('simulationLabels returns the labels the generator returns', () => {
    expect(simulationLabels(SMALL)).toEqual(result);
  });

  it('rejects invalid options naming the option', () => {
    expect(() => simulateFleet({ months: 0 }).next()).toThrow(SimulationOptionsError);
    expect(() => simulateFleet({ start: '2024-02-30' }).next()).toThrow(/^start:/);
    expect(() => simulateFleet({ behaviourMix: { loyal: 0 } }).next()).toThrow(/^behaviourMix:/);
    expect(() => simulateFleet({ behaviourMix: { churner: 1 } as never }).next()).toThrow(
      /unknown behaviour churner/,
    );
  });
});
