import { createDataSource, MIGRATIONS, revertMigrations, runMigrations } from '@rp/database';
import { applyEvents } from '@rp/ingest';
import { ev, ingestEvents, testConfig, useMigratedSchema } from '../../support';

/** Rows written before the stamps existed get them from what they store, and then follow event time. */
describe('the warranty and location stamps migration (real Postgres)', () => {
  const config = testConfig();
  const ds = createDataSource(config.database);
  useMigratedSchema(ds, config.database.schema);
  const T = '2026-01-01T10:00:00.000Z';

  beforeAll(async () => {
    const index = MIGRATIONS.findIndex((m) => m.name === 'WarrantyLocationStamps1795301500000');
    await revertMigrations(ds, MIGRATIONS.length - index);
    await ds.query(`
      INSERT INTO warranties (dealer_id, serial_number, contract_id, coverage, customer_id, branch_id, starts_at,
        ends_at, hours_limit, amount, currency, expiring_notice_at, expired_at, updated_at, event_id)
      VALUES ('d1', 'S1', 'standard', 'standard', 'c1', 'b1', '2026-01-01', '2027-01-01', NULL, NULL, NULL,
              NULL, NULL, '${T}', 'wx-9'),
             ('d1', 'S1', 'X1', 'extended-warranty', NULL, NULL, '2027-01-01', '2028-01-01', 3000, 900, 'EUR',
              NULL, NULL, '${T}', 'we-9')`);
    await ds.query(`
      INSERT INTO machines (dealer_id, serial_number, latitude, longitude, location_at)
      VALUES ('d1', 'S1', 2, 2, '${T}'), ('d1', 'S2', 7, 7, '${T}'), ('d1', 'S3', NULL, NULL, NULL)`);
    await ds.query(`
      INSERT INTO telematics_readings (dealer_id, event_id, serial_number, occurred_at, latitude, longitude)
      VALUES ('d1', 'r-a', 'S1', '${T}', 2, 2), ('d1', 'r-c', 'S1', '${T}', 2, 2),
             ('d1', 'r-d', 'S1', '${T}', 3, 3), ('d1', 'r-e', 'S1', '2026-01-01T09:00:00Z', 2, 2)`);
    await runMigrations(ds);
  });

  it("stamps a warranty's stored facts with its newest event, and leaves absent facts unstamped", async () => {
    const rows = await ds.query<Record<string, unknown>[]>(
      `SELECT contract_id, customer_set_at, customer_event_id, starts_set_at, starts_event_id, ends_set_at,
              ends_event_id, hours_limit_set_at, hours_limit_event_id, price_set_at, price_event_id,
              expired_set_at, expired_event_id
         FROM warranties WHERE dealer_id = 'd1' ORDER BY contract_id`,
    );
    const t = new Date(T);
    expect(rows).toEqual([
      {
        contract_id: 'X1',
        customer_set_at: null,
        customer_event_id: null,
        starts_set_at: t,
        starts_event_id: 'we-9',
        ends_set_at: t,
        ends_event_id: 'we-9',
        hours_limit_set_at: t,
        hours_limit_event_id: 'we-9',
        price_set_at: t,
        price_event_id: 'we-9',
        expired_set_at: null,
        expired_event_id: null,
      },
      {
        contract_id: 'standard',
        customer_set_at: t,
        customer_event_id: 'wx-9',
        starts_set_at: t,
        starts_event_id: 'wx-9',
        ends_set_at: t,
        ends_event_id: 'wx-9',
        hours_limit_set_at: null,
        hours_limit_event_id: null,
        price_set_at: null,
        price_event_id: null,
        expired_set_at: null,
        expired_event_id: null,
      },
    ]);
  });

  it("stamps a machine's location with the greatest id of its instant's readings that gave it, else ''", async () => {
    const rows = await ds.query<Record<string, unknown>[]>(
      `SELECT serial_number, location_event_id FROM machines WHERE dealer_id = 'd1' ORDER BY serial_number`,
    );
    expect(rows).toEqual([
      { serial_number: 'S1', location_event_id: 'r-c' }, // r-d is of that instant but elsewhere
      { serial_number: 'S2', location_event_id: '' }, // no reading left: any snapshot of that instant wins
      { serial_number: 'S3', location_event_id: null },
    ]);
  });

  it('an older event then fills only the facts no newer event carries', async () => {
    await ds.transaction((em) =>
      applyEvents(
        em,
        ingestEvents([
          ev('we-1', 'warranty.extended', '2026-01-01T08:00:00Z', {
            serialNumber: 'S1',
            contractId: 'X1',
            kind: 'extended-warranty',
            startsAt: '2026-06-01',
            endsAt: '2026-12-01',
            hoursLimit: 1000,
          }),
          ev('wr-1', 'warranty.registered', '2026-01-01T08:00:00Z', {
            serialNumber: 'S1',
            customerId: 'c0',
            branchId: 'b0',
            startsAt: '2025-01-01',
            endsAt: '2026-01-01',
            hoursLimit: 2000,
          }),
        ]),
      ),
    );
    const rows = await ds.query<Record<string, unknown>[]>(
      `SELECT contract_id, customer_id, starts_at, hours_limit FROM warranties WHERE dealer_id = 'd1'
        ORDER BY contract_id`,
    );
    expect(rows).toEqual([
      {
        contract_id: 'X1',
        customer_id: null,
        starts_at: new Date('2027-01-01T00:00:00Z'),
        hours_limit: '3000',
      },
      {
        contract_id: 'standard',
        customer_id: 'c1',
        starts_at: new Date('2026-01-01T00:00:00Z'),
        hours_limit: '2000', // no newer event named a limit
      },
    ]);
  });
});
