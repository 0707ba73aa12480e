import { createDataSource } from '@rp/database';
import { applyEvents, DEFAULT_HISTORY_MONTHS, loadRiskState } from '@rp/ingest';
import { MAX_WINDOW_DAYS } from '@rp/risk';
import { ev, ingestEvents, testConfig, useMigratedSchema, type Ev } from '../../support';

// The history a sweep loads: 36 months before the customer's newest event, or before the earliest instant
// the sweep evaluates when that is earlier (a backlog sweeps months of instants at once).

const at = (iso: string): number => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
const A = 'PC200-30003';

const snap = (id: string, when: string, hours: number) =>
  ev(id, 'telematics.snapshot', when, { serialNumber: A, cumulativeOperatingHours: hours });
const sale = (id: string, when: string) =>
  ev(id, 'parts.sold', when, {
    invoiceId: id,
    customerId: 'c-5',
    branchId: 'b-1',
    amount: 80,
    currency: 'EUR',
    category: 'filters',
  });

const life: Ev[] = [
  ev('cu-5', 'customer.upserted', '2022-01-10T08:00:00Z', { customerId: 'c-5', name: 'Bo', branchId: 'b-1' }),
  ev('w-5', 'warranty.registered', '2022-02-01T08:00:00Z', {
    serialNumber: A,
    customerId: 'c-5',
    branchId: 'b-1',
    model: 'PC200-8',
    startsAt: '2022-02-01',
    endsAt: '2023-02-01',
  }),
  snap('t-2022', '2022-05-02T06:00:00Z', 400),
  sale('ps-2022', '2022-05-03T09:00:00Z'),
  snap('t-2024', '2024-06-03T06:00:00Z', 2600),
  snap('t-2026', '2026-04-01T06:00:00Z', 4100), // the customer's newest event
];

describe('loadRiskState history window (real Postgres)', () => {
  const config = testConfig();
  const ds = createDataSource(config.database);

  useMigratedSchema(ds, config.database.schema);
  beforeAll(() => applyEvents(ds, ingestEvents(life)));

  const load = async (evaluatedFrom?: number) => {
    const opts = evaluatedFrom === undefined ? {} : { evaluatedFrom: new Map([['c-5', evaluatedFrom]]) };
    const state = (await loadRiskState(ds, 'd1', ['c-5'], opts)).get('c-5')!;
    return {
      readings: state.machines[0].readings.map((r) => r.eventId),
      purchases: state.customer.purchases.map((p) => p.eventId),
    };
  };

  it('keeps 36 months before the newest event by default', async () => {
    expect(DEFAULT_HISTORY_MONTHS).toBe(36);
    // A rule set's longest window fits in the shortest 36 months (28-day months) a sweep loads.
    expect(DEFAULT_HISTORY_MONTHS * 28).toBeGreaterThanOrEqual(MAX_WINDOW_DAYS);
    expect(await load()).toEqual({ readings: ['t-2024', 't-2026'], purchases: [] });
  });

  it('counts the 36 months back from the earliest instant evaluated when that is earlier', async () => {
    // 2025-05-01 − 36 months = 2022-05-01: the 2022 reading and sale are within every evaluated instant's reach.
    expect(await load(at('2025-05-01'))).toEqual({
      readings: ['t-2022', 't-2024', 't-2026'],
      purchases: ['ps-2022'],
    });
    // One day later the window starts after them.
    expect(await load(at('2025-05-04'))).toEqual({ readings: ['t-2024', 't-2026'], purchases: [] });
  });

  it('never loads less than the default for an instant after the newest event', async () => {
    expect(await load(at('2027-01-01'))).toEqual({ readings: ['t-2024', 't-2026'], purchases: [] });
  });
});
