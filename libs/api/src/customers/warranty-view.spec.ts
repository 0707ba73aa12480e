import { contractsOf, type WarrantyRow } from './warranty-view';

const d = (s: string) => new Date(s);
const row = (w: Partial<WarrantyRow> & Pick<WarrantyRow, 'contract_id' | 'coverage'>): WarrantyRow => ({
  starts_at: null,
  ends_at: null,
  expired_at: null,
  ...w,
});

describe('the machine record contract list', () => {
  it('lists expiries as expiredAt on the covers they ended, never as contracts', () => {
    const list = contractsOf([
      row({
        contract_id: 'standard',
        coverage: 'standard',
        starts_at: d('2023-01-01T00:00:00Z'),
        ends_at: d('2025-01-01T00:00:00Z'),
        expired_at: d('2025-01-01T00:00:00Z'),
      }),
      row({
        contract_id: 'mc-9',
        coverage: 'maintenance-contract',
        starts_at: d('2025-01-01T00:00:00Z'),
        ends_at: d('2026-01-01T00:00:00Z'),
      }),
      row({
        contract_id: 'mc-10',
        coverage: 'maintenance-contract',
        starts_at: d('2026-01-01T00:00:00Z'),
        ends_at: d('2027-01-01T00:00:00Z'),
      }),
      row({ contract_id: 'ext-1', coverage: 'extended-warranty', ends_at: d('2026-01-01T00:00:00Z') }),
      row({
        contract_id: 'maintenance-contract:expired',
        coverage: 'maintenance-contract',
        expired_at: d('2026-01-02T00:00:00Z'),
      }),
    ]);
    expect(list).toEqual([
      {
        contractId: 'standard',
        coverage: 'standard',
        startsAt: '2023-01-01T00:00:00.000Z',
        endsAt: '2025-01-01T00:00:00.000Z',
        expiredAt: '2025-01-01T00:00:00.000Z',
      },
      {
        contractId: 'mc-9',
        coverage: 'maintenance-contract',
        startsAt: '2025-01-01T00:00:00.000Z',
        endsAt: '2026-01-01T00:00:00.000Z',
        expiredAt: '2026-01-02T00:00:00.000Z',
      },
      {
        contractId: 'mc-10',
        coverage: 'maintenance-contract',
        startsAt: '2026-01-01T00:00:00.000Z',
        endsAt: '2027-01-01T00:00:00.000Z',
        expiredAt: null, // renewed: its term runs past that expiry
      },
      {
        contractId: 'ext-1',
        coverage: 'extended-warranty',
        startsAt: null,
        endsAt: '2026-01-01T00:00:00.000Z',
        expiredAt: null, // another coverage's expiry does not end it
      },
    ]);
  });
});
