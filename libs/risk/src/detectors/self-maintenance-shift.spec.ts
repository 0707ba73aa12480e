import { DAY, RULES, at, customer, expectedId, machine, purchase, workOrder } from '../spec-helpers';
import { detectSelfMaintenanceShift } from './self-maintenance-shift';

const LABOUR = at('2025-03-01');
const kits = [
  purchase('k-1', at('2025-06-01'), 300, { category: 'maintenance-kit' }),
  purchase('k-2', at('2025-09-01'), 80, { category: 'filters' }),
  purchase('w-1', at('2025-10-01'), 900, { category: 'wear-parts' }),
];
const ctx = (purchases = kits, unattributedWorkOrders: ReturnType<typeof workOrder>[] = []) => ({
  customer: customer({ purchases, unattributedWorkOrders }),
  machines: [machine({ workOrders: [workOrder('1', LABOUR)] })],
});

describe('SELF_MAINTENANCE_SHIFT', () => {
  it('fires 365 days after the last labour order when kits / filters were bought since', () => {
    const r = detectSelfMaintenanceShift(ctx(), LABOUR + 365 * DAY, RULES);
    expect(r.decisions).toHaveLength(1);
    expect(r.decisions[0]).toMatchObject({
      id: expectedId(null, 'SELF_MAINTENANCE_SHIFT', 'after:k-1'),
      serialNumber: null,
      family: 'lapse',
      message: 'customer services the machine itself; offer a maintenance contract',
      evidenceEventIds: ['k-2', 'k-1', 'wo-1'],
    });
  });

  it('does not fire on day 364 and sets the timer', () => {
    expect(detectSelfMaintenanceShift(ctx(), LABOUR + 364 * DAY, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: LABOUR + 365 * DAY,
    });
  });

  it('needs a kit or filter purchase within the 12 months', () => {
    expect(detectSelfMaintenanceShift(ctx(kits.slice(2)), LABOUR + 400 * DAY, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: null,
    });
    expect(detectSelfMaintenanceShift(ctx(), at('2026-09-02'), RULES).decisions).toEqual([]);
  });

  it('counts a kit bought within the window to the millisecond, not one bought exactly a window before', () => {
    const window = 365 * DAY;
    const last = at('2025-09-01'); // k-2, the newest kit
    expect(detectSelfMaintenanceShift(ctx(), last + window - 1, RULES).decisions).toHaveLength(1);
    expect(detectSelfMaintenanceShift(ctx(), last + window, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: null,
    });
  });

  it('counts labour orders without a machine too', () => {
    const recent = workOrder('u', at('2025-12-01'), { kind: 'inspection' });
    expect(detectSelfMaintenanceShift(ctx(kits, [recent]), LABOUR + 365 * DAY, RULES).decisions).toEqual([]);
  });
});
