import type { DataSource } from 'typeorm';
import { createDataSource, runMigrations } from '@rp/database';
import { applyEvents, loadRiskState, RISK_STATE_QUERIES } from '@rp/ingest';
import type { CustomerState, MachineState } from '@rp/risk';
import { ev, ingestEvents, testConfig, type Ev } from '../../support';

const at = (iso: string): number => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
const A = 'PC200-10001';
const B = 'PC130-20002';

const wo = (id: string, type: string, when: string, data: Record<string, unknown>) =>
  ev(id, type, when, { customerId: 'c-17', branchId: 'b-north', ...data });
const snap = (id: string, when: string, serialNumber: string, data: Record<string, unknown>) =>
  ev(id, 'telematics.snapshot', when, { serialNumber, ...data });

const life: Ev[] = [
  ev('cu-1', 'customer.upserted', '2025-02-01T08:00:00Z', {
    customerId: 'c-17',
    name: 'Ann Lee',
    branchId: 'b-north',
  }),
  ev('w-1', 'warranty.registered', '2025-03-01T08:00:00Z', {
    serialNumber: A,
    customerId: 'c-17',
    branchId: 'b-north',
    oemName: 'Komatsu',
    model: 'PC200-8',
    startsAt: '2025-03-01',
    endsAt: '2026-03-01',
    hoursLimit: 1200,
  }),
  ev('w-b', 'warranty.registered', '2025-03-05T08:00:00Z', {
    serialNumber: B,
    customerId: 'c-17',
    branchId: 'b-north',
    model: 'PC130-8',
    startsAt: '2025-03-05',
    endsAt: '2026-03-05',
  }),
  ev('w-3', 'warranty.expiring', '2026-01-15T00:00:00Z', { serialNumber: A, endsAt: '2026-03-01' }),
  ev('w-2', 'warranty.extended', '2026-02-01T08:00:00Z', {
    serialNumber: A,
    contractId: 'mc-9',
    kind: 'maintenance-contract',
    startsAt: '2026-03-01',
    endsAt: '2027-03-01',
    hoursLimit: 3000,
    amount: 1200.5,
    currency: 'CNY',
  }),
  ev('w-6', 'warranty.extended', '2026-02-15T08:00:00Z', {
    serialNumber: A,
    contractId: 'ew-1',
    kind: 'extended-warranty',
    startsAt: '2026-03-01',
    endsAt: '2026-09-01',
  }),
  ev('w-4', 'warranty.expired', '2026-03-01T00:00:00Z', {
    serialNumber: A,
    endedAt: '2026-03-01',
    coverage: 'standard',
  }),
  snap('t-1', '2026-04-01T06:00:00Z', A, {
    cumulativeOperatingHours: 1180,
    location: { latitude: 31.23, longitude: 121.47 },
    faultCodes: [{ code: 'CA431', severity: 'medium', firstSeenAt: '2026-04-01T05:30:00Z' }],
  }),
  snap('t-2', '2026-04-01T18:00:00Z', A, { cumulativeOperatingHours: 1190 }), // no list: says nothing of faults
  snap('t-3', '2026-04-02T18:00:00Z', A, { cumulativeOperatingHours: 1195.5, faultCodes: [] }),
  snap('t-4', '2026-04-03T18:00:00Z', A, {
    cumulativeOperatingHours: 1210,
    faultCodes: [
      { code: 'CA431', severity: 'medium' },
      { code: 'E02', severity: 'low' },
    ],
  }),
  snap('t-5', '2026-04-04T18:00:00Z', A, {
    cumulativeOperatingHours: 1205, // meter glitch
    faultCodes: [{ code: 'E02', severity: 'low', clearedAt: '2026-04-04T12:00:00Z' }],
  }),
  snap('t-6', '2026-04-05T18:00:00Z', A, {
    cumulativeOperatingHours: 1222.25,
    location: { latitude: 31.3, longitude: 121.5 },
    faultCodes: [{ code: 'CA431', severity: 'high' }],
  }),
  snap('tb-1', '2026-04-02T10:00:00Z', B, { cumulativeOperatingHours: 500 }),
  snap('tb-2', '2026-04-03T10:00:00Z', B, { cumulativeOperatingHours: 510 }),
  ev('ot-1', 'ownership.transferred', '2026-04-04T00:00:00Z', {
    serialNumber: B,
    fromCustomerId: 'c-17',
    toCustomerId: 'c-99',
    branchId: 'b-south',
  }),
  snap('tb-3', '2026-04-05T10:00:00Z', B, { cumulativeOperatingHours: 530 }),
  wo('wo-5512-opened', 'work-order.opened', '2026-04-06T09:00:00Z', {
    workOrderId: '5512',
    serialNumber: A,
    kind: 'maintenance',
    hoursAtOpen: 1225,
  }),
  wo('wo-5512-closed', 'work-order.closed', '2026-04-07T16:30:00Z', {
    workOrderId: '5512',
    serialNumber: A,
    kind: 'maintenance',
    laborAmount: 1800,
    partsAmount: 2650.25,
    currency: 'CNY',
    hoursAtService: 1230,
    downtimeHours: 4,
  }),
  wo('wo-77-closed', 'work-order.closed', '2026-04-15T12:00:00Z', {
    workOrderId: '77',
    kind: 'inspection',
    laborAmount: 0,
    partsAmount: 80,
    currency: 'CNY',
  }),
  wo('wo-5600-opened', 'work-order.opened', '2026-04-20T08:00:00Z', {
    workOrderId: '5600',
    serialNumber: A,
    kind: 'repair',
  }),
  wo('ps-1', 'parts.sold', '2026-05-01T10:00:00Z', {
    invoiceId: 'inv-1',
    serialNumber: A,
    amount: 320.75,
    currency: 'CNY',
    category: 'filters',
  }),
  wo('ps-2', 'parts.sold', '2026-05-03T10:00:00Z', {
    invoiceId: 'inv-2',
    amount: 99.9,
    currency: 'CNY',
    grossProfit: 21.5,
  }),
  ev('co-1', 'complaint.opened', '2026-05-02T10:00:00Z', {
    complaintId: 'k-1',
    customerId: 'c-17',
    serialNumber: A,
    category: 'delay',
    severity: 'medium',
  }),
  ev('co-2', 'complaint.resolved', '2026-05-09T10:00:00Z', { complaintId: 'k-1', customerId: 'c-17' }),
  ev('sv-1', 'survey.responded', '2026-05-10T10:00:00Z', {
    surveyId: 's-1',
    customerId: 'c-17',
    serialNumber: A,
    workOrderId: '5512',
    nps: 4,
    comment: 'slow',
  }),
  ev('w-7', 'warranty.expired', '2026-06-01T00:00:00Z', {
    serialNumber: A,
    endedAt: '2026-06-01',
    coverage: 'extended-warranty',
  }),
  // Another dealer's customer with the same id: never visible to d1.
  ev(
    'x-1',
    'parts.sold',
    '2026-05-05T10:00:00Z',
    { invoiceId: 'inv-1', customerId: 'c-17', branchId: 'b-x', amount: 1, currency: 'EUR' },
    'd2',
  ),
];

const stamp = (eventId: string, when: string) => ({ at: at(when), eventId });
const readingsB = [
  { ...stamp('tb-1', '2026-04-02T10:00:00Z'), hours: 500 },
  { ...stamp('tb-2', '2026-04-03T10:00:00Z'), hours: 510 },
  { ...stamp('tb-3', '2026-04-05T10:00:00Z'), hours: 530 },
];
const warrantyB = {
  startsAt: at('2025-03-05'),
  endsAt: at('2026-03-05'),
  eventId: 'w-b',
  knownAt: at('2025-03-05T08:00:00Z'),
};

const machineA: MachineState = {
  dealerId: 'd1',
  serialNumber: A,
  customerId: 'c-17',
  ownedSince: at('2025-03-01T08:00:00Z'),
  branchId: 'b-north',
  model: 'PC200-8',
  readings: [
    { ...stamp('t-1', '2026-04-01T06:00:00Z'), hours: 1180 },
    { ...stamp('t-2', '2026-04-01T18:00:00Z'), hours: 1190 },
    { ...stamp('t-3', '2026-04-02T18:00:00Z'), hours: 1195.5 },
    { ...stamp('t-4', '2026-04-03T18:00:00Z'), hours: 1210 },
    { ...stamp('t-5', '2026-04-04T18:00:00Z'), hours: 1205 },
    { ...stamp('t-6', '2026-04-05T18:00:00Z'), hours: 1222.25 },
  ],
  locations: [
    { ...stamp('t-1', '2026-04-01T06:00:00Z'), lat: 31.23, lon: 121.47 },
    { ...stamp('t-6', '2026-04-05T18:00:00Z'), lat: 31.3, lon: 121.5 },
  ],
  faults: [
    {
      code: 'CA431',
      severity: 'high',
      severities: [
        { at: at('2026-04-01T06:00:00Z'), severity: 'medium' },
        { at: at('2026-04-05T18:00:00Z'), severity: 'high' },
      ],
      firstSeenAt: at('2026-04-01T05:30:00Z'),
      eventId: 't-1',
      occurrences: [
        stamp('t-1', '2026-04-01T06:00:00Z'),
        stamp('t-4', '2026-04-03T18:00:00Z'),
        stamp('t-6', '2026-04-05T18:00:00Z'),
      ],
      lapsedAt: at('2026-04-02T18:00:00Z'), // t-3 lists no CA431 (t-2 has no list: says nothing)
    },
    {
      code: 'E02',
      severity: 'low',
      firstSeenAt: at('2026-04-03T18:00:00Z'),
      eventId: 't-4',
      occurrences: [stamp('t-4', '2026-04-03T18:00:00Z')],
      clearedAt: at('2026-04-04T18:00:00Z'),
    },
  ],
  warranty: {
    startsAt: at('2025-03-01'),
    endsAt: at('2026-03-01'),
    hoursLimit: 1200,
    eventId: 'w-1',
    knownAt: at('2025-03-01T08:00:00Z'),
    expired: stamp('w-4', '2026-03-01'),
    hoursLimitReached: stamp('t-4', '2026-04-03T18:00:00Z'),
  },
  covers: [
    {
      startsAt: at('2026-03-01'),
      endsAt: at('2026-09-01'),
      eventId: 'w-6',
      knownAt: at('2026-02-15T08:00:00Z'),
      expired: stamp('w-7', '2026-06-01'),
      contractId: 'ew-1',
      kind: 'extended-warranty',
    },
    {
      startsAt: at('2026-03-01'),
      endsAt: at('2027-03-01'),
      hoursLimit: 3000,
      eventId: 'w-2',
      knownAt: at('2026-02-01T08:00:00Z'),
      contractId: 'mc-9',
      kind: 'maintenance-contract',
    },
  ],
  workOrders: [
    {
      id: '5512',
      kind: 'maintenance',
      openedAt: at('2026-04-06T09:00:00Z'),
      closedAt: at('2026-04-07T16:30:00Z'),
      labour: true,
      hoursAtService: 1230,
      downtimeHours: 4,
      eventId: 'wo-5512-closed',
      openedEventId: 'wo-5512-opened',
      hoursAtOpen: 1225,
    },
    {
      id: '5600',
      kind: 'repair',
      openedAt: at('2026-04-20T08:00:00Z'),
      labour: false,
      eventId: 'wo-5600-opened',
      openedEventId: 'wo-5600-opened',
    },
  ],
  lastTelematics: stamp('t-6', '2026-04-05T18:00:00Z'),
};

const machineBSold: MachineState = {
  dealerId: 'd1',
  serialNumber: B,
  customerId: 'c-17',
  ownedSince: at('2025-03-05T08:00:00Z'),
  branchId: 'b-north',
  model: 'PC130-8',
  readings: readingsB,
  locations: [],
  faults: [],
  warranty: warrantyB,
  covers: [],
  workOrders: [],
  sold: { ...stamp('ot-1', '2026-04-04T00:00:00Z'), toCustomerId: 'c-99' },
  lastTelematics: stamp('tb-3', '2026-04-05T10:00:00Z'),
};

const customer17: CustomerState = {
  dealerId: 'd1',
  customerId: 'c-17',
  branchId: 'b-north',
  purchases: [
    {
      ...stamp('wo-5512-closed', '2026-04-07T16:30:00Z'),
      amount: 4450.25,
      kind: 'service',
      labourAmount: 1800,
    },
    { ...stamp('wo-77-closed', '2026-04-15T12:00:00Z'), amount: 80, kind: 'service', labourAmount: 0 },
    { ...stamp('ps-1', '2026-05-01T10:00:00Z'), amount: 320.75, kind: 'parts', category: 'filters' },
    { ...stamp('ps-2', '2026-05-03T10:00:00Z'), amount: 99.9, kind: 'parts', grossProfit: 21.5 },
  ],
  complaints: [
    {
      id: 'k-1',
      openedAt: at('2026-05-02T10:00:00Z'),
      resolvedAt: at('2026-05-09T10:00:00Z'),
      serialNumber: A,
      severity: 'medium',
      eventId: 'co-1',
    },
  ],
  surveys: [
    { ...stamp('sv-1', '2026-05-10T10:00:00Z'), id: 's-1', serialNumber: A, nps: 4, comment: 'slow' },
  ],
  pAlive: [],
  // A: +5.5 (04-02), +14.5 (04-03), glitch day +0 (04-04), +12.25 (04-05); B until its sale: +10 (04-03).
  fleetHours: [
    { at: at('2026-04-02'), hours: 5.5 },
    { at: at('2026-04-03'), hours: 24.5 },
    { at: at('2026-04-04'), hours: 0 },
    { at: at('2026-04-05'), hours: 12.25 },
  ],
  unattributedWorkOrders: [
    {
      id: '77',
      kind: 'inspection',
      openedAt: at('2026-04-15T12:00:00Z'),
      closedAt: at('2026-04-15T12:00:00Z'),
      labour: false,
      eventId: 'wo-77-closed',
    },
  ],
};

describe('loadRiskState (real Postgres)', () => {
  const config = testConfig();
  let ds: DataSource;

  beforeAll(async () => {
    ds = createDataSource(config.database);
    await ds.initialize();
    await runMigrations(ds);
    await applyEvents(ds, ingestEvents(life));
  });

  afterAll(async () => {
    await ds.query(`DROP SCHEMA IF EXISTS ${config.database.schema} CASCADE`);
    await ds.destroy();
  });

  it('maps a machine life to the exact risk state, sold machine and buyer included', async () => {
    const state = await loadRiskState(ds, 'd1', ['c-17', 'c-99', 'c-404']);
    expect([...state.keys()]).toEqual(['c-17', 'c-99']); // c-404 has nothing at all
    expect(state.get('c-17')).toStrictEqual({
      customer: customer17,
      machines: [machineA, machineBSold],
      earlierPurchaseDays: [],
    });
    expect(state.get('c-99')).toStrictEqual({
      customer: {
        dealerId: 'd1',
        customerId: 'c-99',
        branchId: 'b-south', // no master data: its machine's branch
        purchases: [],
        complaints: [],
        surveys: [],
        pAlive: [],
        fleetHours: [{ at: at('2026-04-05'), hours: 20 }], // only what B ran after the transfer
        unattributedWorkOrders: [],
      },
      machines: [
        {
          ...machineBSold,
          customerId: 'c-99',
          ownedSince: at('2026-04-04T00:00:00Z'),
          acquiredByTransfer: true, // bought used: its service hours start at the transfer
          branchId: 'b-south',
          sold: undefined,
        },
      ].map(({ sold: _sold, ...m }) => m),
      earlierPurchaseDays: [],
    });
  });

  it('bounds history by sinceMs, keeping open orders and warranty facts', async () => {
    const state = await loadRiskState(ds, 'd1', ['c-17'], { sinceMs: at('2026-04-10') });
    const c = state.get('c-17')!;
    const a = c.machines[0];
    expect(a.readings).toEqual([]);
    expect(a.faults).toEqual([]);
    expect(a.warranty).toEqual(machineA.warranty);
    expect(a.workOrders).toEqual(machineA.workOrders); // 5512 is the last maintenance visit, 5600 is open
    expect(c.customer.purchases.map((p) => p.eventId)).toEqual(['wo-77-closed', 'ps-1', 'ps-2']);
    expect(c.customer.fleetHours).toEqual([]);
    expect(c.customer.complaints).toEqual(customer17.complaints);
  });

  it('issues the same fixed number of dealer-filtered queries for 1 and for 5 customers', async () => {
    const counted = () => {
      const calls: unknown[][] = [];
      const db = {
        query: <T>(sql: string, params?: unknown[]): Promise<T> => {
          calls.push(params ?? []);
          return ds.query<T>(sql, params);
        },
      };
      return { db, calls };
    };
    const one = counted();
    await loadRiskState(one.db, 'd1', ['c-17']);
    const five = counted();
    const loaded = await loadRiskState(five.db, 'd1', ['c-17', 'c-99', 'c-404', 'c-1', 'c-2']);
    expect(loaded.size).toBe(2);
    expect(one.calls).toHaveLength(RISK_STATE_QUERIES);
    expect(five.calls).toHaveLength(RISK_STATE_QUERIES);
    expect([...one.calls, ...five.calls].every((params) => params[0] === 'd1')).toBe(true);
  });
});
