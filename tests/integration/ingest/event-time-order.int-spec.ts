import { createDataSource } from '@rp/database';
import { applyEvents } from '@rp/ingest';
import { ev, ingestEvents, testConfig, useMigratedSchema, type Ev } from '../../support';

/**
 * EVENTS.md: processing depends on event time, never on arrival order. The same events must give the same
 * rows however they are split into batches and in whatever order the batches arrive (a replay, or another
 * replica, batches them differently).
 */
describe('projections follow event time across batches (real Postgres)', () => {
  const config = testConfig();
  const ds = createDataSource(config.database);
  useMigratedSchema(ds, config.database.schema);

  const S = 'S1';
  const wo = { workOrderId: 'W1', kind: 'repair' };
  const events = (dealer: string): Ev[] =>
    [
      // work order W1: two opens (a correction), three closes (re-closes with corrected amounts)
      [
        'wo-1',
        'work-order.opened',
        '2026-01-01T08:00:00Z',
        { ...wo, customerId: 'c1', branchId: 'b1', serialNumber: S, hoursAtOpen: 100 },
      ],
      [
        'wo-2',
        'work-order.opened',
        '2026-01-01T09:00:00Z',
        { ...wo, customerId: 'c1', branchId: 'b2', kind: 'maintenance' },
      ],
      [
        'wo-3',
        'work-order.closed',
        '2026-01-02T10:00:00Z',
        {
          ...wo,
          customerId: 'c1',
          branchId: 'b1',
          serialNumber: S,
          laborAmount: 100,
          partsAmount: 50,
          currency: 'EUR',
          grossProfit: 30,
        },
      ],
      [
        'wo-4',
        'work-order.closed',
        '2026-01-02T12:00:00Z',
        { ...wo, customerId: 'c2', branchId: 'b1', laborAmount: 200, partsAmount: 60, currency: 'EUR' },
      ],
      [
        'wo-5',
        'work-order.closed',
        '2026-01-02T11:00:00Z',
        {
          ...wo,
          customerId: 'c3',
          branchId: 'b3',
          serialNumber: 'S9',
          laborAmount: 150,
          partsAmount: 55,
          currency: 'USD',
          grossProfit: 10,
          downtimeHours: 4,
        },
      ],
      // complaint K1: opened, corrected, resolved twice
      [
        'co-1',
        'complaint.opened',
        '2026-01-01T10:00:00Z',
        { complaintId: 'K1', customerId: 'c1', serialNumber: S, category: 'noise', severity: 'low' },
      ],
      [
        'co-2',
        'complaint.opened',
        '2026-01-01T12:00:00Z',
        { complaintId: 'K1', customerId: 'c1', category: 'engine failure', severity: 'high' },
      ],
      ['co-3', 'complaint.resolved', '2026-01-03T00:00:00Z', { complaintId: 'K1', customerId: 'c1' }],
      ['co-4', 'complaint.resolved', '2026-01-02T00:00:00Z', { complaintId: 'K1', customerId: 'c4' }],
      // machine S1: make and model from snapshots and the delivery; owner and branch from delivery and transfers
      [
        't-1',
        'telematics.snapshot',
        '2026-01-01T10:00:00Z',
        { serialNumber: S, oemName: 'Komatsu', model: 'PC200-7', cumulativeOperatingHours: 10 },
      ],
      [
        't-2',
        'telematics.snapshot',
        '2026-01-01T12:00:00Z',
        {
          serialNumber: S,
          model: 'PC200-8',
          cumulativeOperatingHours: 12,
          engineRunning: true,
          faultCodes: [{ code: 'E1', severity: 'high' }],
        },
      ],
      [
        't-3',
        'telematics.snapshot',
        '2026-01-01T11:00:00Z',
        { serialNumber: S, oemName: 'KOMATSU', cumulativeOperatingHours: 11 },
      ],
      ['t-4', 'telematics.snapshot', '2026-01-01T12:00:00Z', { serialNumber: S, model: 'PC200-8M' }], // same instant as t-2: the greater id wins
      [
        'wr-1',
        'warranty.registered',
        '2026-01-01T09:00:00Z',
        {
          serialNumber: S,
          customerId: 'c1',
          branchId: 'b1',
          oemName: 'Komatsu Ltd',
          model: 'PC200-6',
          startsAt: '2026-01-01',
          endsAt: '2027-01-01',
        },
      ],
      [
        'ot-1',
        'ownership.transferred',
        '2026-01-01T13:00:00Z',
        { serialNumber: S, fromCustomerId: 'c5', toCustomerId: 'c2' },
      ],
      [
        'ot-2',
        'ownership.transferred',
        '2026-01-01T11:30:00Z',
        { serialNumber: S, fromCustomerId: 'c1', toCustomerId: 'c5', branchId: 'b7' },
      ],
      // S1's standard warranty: the registration's end date, then two expiry notices (the newest says last)
      ['wx-0', 'warranty.expiring', '2026-01-01T10:30:00Z', { serialNumber: S, endsAt: '2026-11-01' }],
      ['wx-1', 'warranty.expiring', '2026-01-02T05:00:00Z', { serialNumber: S, endsAt: '2026-12-15' }],
      // cover X1: each fact follows the newest event that carries it (the newest says no hour limit, no price)
      [
        'we-1',
        'warranty.extended',
        '2026-01-01T08:30:00Z',
        {
          serialNumber: S,
          contractId: 'X1',
          kind: 'extended-warranty',
          startsAt: '2027-01-01',
          endsAt: '2028-01-01',
          hoursLimit: 3000,
          amount: 900,
          currency: 'EUR',
        },
      ],
      [
        'we-2',
        'warranty.extended',
        '2026-01-01T11:15:00Z',
        {
          serialNumber: S,
          contractId: 'X1',
          kind: 'extended-warranty',
          startsAt: '2027-01-01',
          endsAt: '2028-06-01',
          hoursLimit: 3500,
        },
      ],
      [
        'we-3',
        'warranty.extended',
        '2026-01-01T12:45:00Z',
        {
          serialNumber: S,
          contractId: 'X1',
          kind: 'maintenance-contract',
          startsAt: '2027-02-01',
          endsAt: '2028-02-01',
        },
      ],
      // machine S2: the same meter reading three times (its time is the last), two locations at one instant
      [
        'u-1',
        'telematics.snapshot',
        '2026-01-01T09:30:00Z',
        { serialNumber: 'S2', cumulativeOperatingHours: 100, location: { latitude: 1, longitude: 1 } },
      ],
      [
        'u-2',
        'telematics.snapshot',
        '2026-01-01T10:00:00Z',
        { serialNumber: 'S2', cumulativeOperatingHours: 100, location: { latitude: 2, longitude: 2 } },
      ],
      [
        'u-3',
        'telematics.snapshot',
        '2026-01-01T10:00:00Z', // same instant as u-2: the greater id wins
        { serialNumber: 'S2', location: { latitude: 3, longitude: 3 } },
      ],
      [
        'u-4',
        'telematics.snapshot',
        '2026-01-01T11:40:00Z',
        { serialNumber: 'S2', cumulativeOperatingHours: 100 },
      ],
    ].map(([id, type, at, data]) =>
      ev(id as string, type as string, at as string, data as Record<string, unknown>, dealer),
    );

  /** Applies each batch in its own transaction, as the consumer does. */
  const apply = async (batches: Ev[][]) => {
    for (const batch of batches) await ds.transaction((em) => applyEvents(em, ingestEvents(batch)));
  };

  const rows = async (dealer: string) => {
    const of = async (table: string, key: string) => {
      const found = await ds.query<Record<string, unknown>[]>(
        `SELECT * FROM ${table} WHERE dealer_id = $1 ORDER BY ${key}`,
        [dealer],
      );
      return found.map(({ dealer_id: _, ...r }) => r);
    };
    return {
      workOrders: await of('work_orders', 'work_order_id'),
      complaints: await of('complaints', 'complaint_id'),
      machines: await of('machines', 'serial_number'),
      warranties: await of('warranties', 'serial_number, contract_id'),
    };
  };

  const byTime = (list: Ev[]) =>
    [...list].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt) || (a.eventId < b.eventId ? -1 : 1));

  const splits: [string, (list: Ev[]) => Ev[][]][] = [
    [
      'in two batches, in order',
      (l) => {
        const s = byTime(l);
        return [s.slice(0, 8), s.slice(8)];
      },
    ],
    [
      'in two batches, reversed',
      (l) => {
        const s = byTime(l);
        return [s.slice(8), s.slice(0, 8)];
      },
    ],
    [
      'one event per batch, newest first',
      (l) =>
        byTime(l)
          .reverse()
          .map((e) => [e]),
    ],
    ['one event per batch, oldest first', (l) => byTime(l).map((e) => [e])],
    [
      'in three batches: the newest, the oldest, the middle',
      (l) => {
        const s = byTime(l);
        const [a, b] = [Math.floor(s.length / 3), Math.floor((2 * s.length) / 3)];
        return [s.slice(b), s.slice(0, a), s.slice(a, b)];
      },
    ],
    [
      'in three batches, interleaved',
      (l) => [0, 1, 2].map((k) => byTime(l).filter((_, i) => i % 3 === k)).reverse(),
    ],
  ];

  let reference: Awaited<ReturnType<typeof rows>>;
  beforeAll(async () => {
    await apply([events('d-one')]);
    reference = await rows('d-one');
  });

  it('in one batch: every group of columns comes from the newest event that carries it', () => {
    const ts = (iso: string) => new Date(iso);
    expect(reference.workOrders).toEqual([
      expect.objectContaining({
        work_order_id: 'W1',
        customer_id: 'c2', // the newest event (wo-4)
        branch_id: 'b1',
        kind: 'repair',
        updated_at: ts('2026-01-02T12:00:00Z'),
        updated_event_id: 'wo-4',
        serial_number: 'S9', // the newest event naming a machine (wo-5)
        serial_number_at: ts('2026-01-02T11:00:00Z'),
        serial_number_event_id: 'wo-5',
        opened_at: ts('2026-01-01T09:00:00Z'), // the corrected open replaces the first, hours included
        hours_at_open: null,
        opened_event_id: 'wo-2',
        closed_at: ts('2026-01-02T12:00:00Z'), // the newest close, whole
        labor_amount: '200',
        parts_amount: '60',
        currency: 'EUR',
        gross_profit: null,
        hours_at_service: null,
        downtime_hours: null,
        closed_event_id: 'wo-4',
      }),
    ]);
    expect(reference.complaints).toEqual([
      {
        complaint_id: 'K1',
        customer_id: 'c1', // the newest event (co-3)
        updated_at: ts('2026-01-03T00:00:00Z'),
        updated_event_id: 'co-3',
        serial_number: null, // the corrected complaint names no machine
        category: 'engine failure',
        severity: 'high',
        opened_at: ts('2026-01-01T12:00:00Z'),
        opened_event_id: 'co-2',
        resolved_at: ts('2026-01-03T00:00:00Z'),
        resolved_event_id: 'co-3',
      },
    ]);
    expect(reference.machines).toEqual([
      expect.objectContaining({
        serial_number: S,
        oem_name: 'KOMATSU', // t-3 (11:00) is newer than t-1 and the delivery
        oem_name_at: ts('2026-01-01T11:00:00Z'),
        oem_name_event_id: 't-3',
        model: 'PC200-8M',
        model_at: ts('2026-01-01T12:00:00Z'),
        model_event_id: 't-4',
        customer_id: 'c2', // the newest transfer
        owner_since: ts('2026-01-01T13:00:00Z'),
        owner_event_id: 'ot-1',
        branch_id: 'b7', // the newest transfer naming a branch
        branch_at: ts('2026-01-01T11:30:00Z'),
        branch_event_id: 'ot-2',
        delivered_at: ts('2026-01-01T09:00:00Z'),
        sold_at: ts('2026-01-01T13:00:00Z'),
        hour_meter: '12',
        engine_running: true, // t-2: the newest snapshot (t-4) does not say
        engine_running_event_id: 't-2',
        active_fault_codes: [{ code: 'E1', severity: 'high' }],
        active_fault_codes_event_id: 't-2',
        last_telematics_event_id: 't-4',
      }),
      expect.objectContaining({
        serial_number: 'S2',
        hour_meter: '100',
        hour_meter_at: ts('2026-01-01T11:40:00Z'), // the last time the maximum was read (u-4)
        latitude: 3, // u-3: same instant as u-2, greater id
        longitude: 3,
        location_at: ts('2026-01-01T10:00:00Z'),
        location_event_id: 'u-3',
        last_telematics_at: ts('2026-01-01T11:40:00Z'),
        last_telematics_event_id: 'u-4',
      }),
    ]);
    const stamp = (at: string, id: string) => [ts(at), id];
    const facts = (w: Record<string, unknown>) => ({
      contract: w.contract_id,
      coverage: w.coverage,
      customer: [w.customer_id, w.branch_id, w.customer_set_at, w.customer_event_id],
      starts: [w.starts_at, w.starts_set_at, w.starts_event_id],
      ends: [w.ends_at, w.ends_set_at, w.ends_event_id],
      hoursLimit: [w.hours_limit, w.hours_limit_set_at, w.hours_limit_event_id],
      price: [w.amount, w.currency, w.price_set_at, w.price_event_id],
      expired: [w.expired_at, w.expired_set_at, w.expired_event_id],
      notice: w.expiring_notice_at,
      updated: [w.updated_at, w.event_id],
    });
    expect(reference.warranties.map(facts)).toEqual([
      {
        contract: 'X1',
        coverage: 'maintenance-contract', // the newest event (we-3) corrects the kind
        customer: [null, null, null, null],
        starts: [ts('2027-02-01T00:00:00Z'), ...stamp('2026-01-01T12:45:00Z', 'we-3')],
        ends: [ts('2028-02-01T00:00:00Z'), ...stamp('2026-01-01T12:45:00Z', 'we-3')],
        hoursLimit: ['3500', ...stamp('2026-01-01T11:15:00Z', 'we-2')], // the newest that names a limit
        price: ['900', 'EUR', ...stamp('2026-01-01T08:30:00Z', 'we-1')], // the only one with a price
        expired: [null, null, null],
        notice: null,
        updated: stamp('2026-01-01T12:45:00Z', 'we-3'),
      },
      {
        contract: 'standard',
        coverage: 'standard',
        customer: ['c1', 'b1', ...stamp('2026-01-01T09:00:00Z', 'wr-1')],
        starts: [ts('2026-01-01T00:00:00Z'), ...stamp('2026-01-01T09:00:00Z', 'wr-1')],
        ends: [ts('2026-12-15T00:00:00Z'), ...stamp('2026-01-02T05:00:00Z', 'wx-1')], // the newest notice
        hoursLimit: [null, null, null],
        price: [null, null, null, null],
        expired: [null, null, null],
        notice: ts('2026-01-01T10:30:00Z'), // the first notice
        updated: stamp('2026-01-02T05:00:00Z', 'wx-1'),
      },
    ]);
  });

  it.each(splits)('%s: the same rows as in one batch', async (name, split) => {
    const dealer = `d-${name.replace(/\W+/g, '-')}`;
    await apply(split(events(dealer)));
    expect(await rows(dealer)).toEqual(reference);
  });
});
