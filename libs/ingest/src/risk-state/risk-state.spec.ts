import { foldFaults, type FaultSnapshot } from './faults';
import { machineEntries, ownershipIntervals } from './ownership';
import type { MachineScopeRow } from './scope.sql';

const snap = (at: number, faultCodes: FaultSnapshot['faultCodes'], reportsFaults = true): FaultSnapshot => ({
  at,
  eventId: `t-${at}`,
  reportsFaults,
  faultCodes,
});

describe('foldFaults', () => {
  it('keeps the lapse, the severity changes and the explicit clear; a new episode after the clear', () => {
    const faults = foldFaults([
      snap(1, [{ code: 'X', severity: 'low' }]),
      snap(2, [], false), // no list: not an absence
      snap(3, [{ code: 'X', severity: 'medium' }]),
      snap(4, []), // absent
      snap(5, [{ code: 'X', severity: 'low', clearedAt: '1970-01-01T00:00:00.004Z' }]), // explicit clear
      snap(6, [{ code: 'X', severity: 'critical', firstSeenAt: '1970-01-01T00:00:00.005Z' }]),
    ]);
    expect(faults).toStrictEqual([
      {
        code: 'X',
        severity: 'medium',
        severities: [
          { at: 1, severity: 'low' },
          { at: 3, severity: 'medium' },
        ],
        firstSeenAt: 1,
        eventId: 't-1',
        occurrences: [{ at: 1, eventId: 't-1' }],
        lapsedAt: 4, // cleared from the absence (listed once) ...
        clearedAt: 5, // ... and for good from the explicit clear
      },
      {
        code: 'X',
        severity: 'critical',
        firstSeenAt: 5,
        eventId: 't-6',
        occurrences: [{ at: 6, eventId: 't-6' }],
      },
    ]);
  });
});

describe('ownership', () => {
  const row = (customer_id: string | null, transfers: MachineScopeRow['transfers']): MachineScopeRow => ({
    serial_number: 'S',
    customer_id,
    branch_id: null,
    model: null,
    last_ms: null,
    last_event_id: null,
    delivered_ms: null,
    delivered_branch_id: null,
    transfers,
  });
  const t = (eventId: string, from: string, to: string, at: number) => ({
    eventId,
    from,
    to,
    at,
    branch: null,
  });

  it('gives the owner the machine and a seller the last sale, unless it bought the machine back', () => {
    const r = row(
      'a',
      [t('o1', 'a', 'b', 10), t('o2', 'b', 'a', 20), t('o3', 'b', 'c', 15)].sort((x, y) => x.at - y.at),
    );
    const wanted = new Set(['a', 'b', 'c']);
    expect(machineEntries(r, wanted).map((e) => [e.customerId, e.sold?.eventId])).toEqual([
      ['a', undefined],
      ['b', 'o2'],
    ]);
    expect(ownershipIntervals(r, wanted)).toEqual([
      { customerId: 'a', serialNumber: 'S', fromMs: null, toMs: 10 },
      { customerId: 'b', serialNumber: 'S', fromMs: 10, toMs: 15 },
      { customerId: 'c', serialNumber: 'S', fromMs: 15, toMs: 20 },
      { customerId: 'a', serialNumber: 'S', fromMs: 20, toMs: null },
    ]);
    expect(ownershipIntervals(row('a', []), new Set(['a']))).toEqual([
      { customerId: 'a', serialNumber: 'S', fromMs: null, toMs: null },
    ]);
  });
});
