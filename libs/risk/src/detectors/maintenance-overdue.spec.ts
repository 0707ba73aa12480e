import { DEFAULT_RULE_SET } from '../rules/default-rule-set';
import { DAY, RULES, SERIAL, at, expectedId, machine, reading, rulesWith, workOrder } from '../spec-helpers';
import { detectMaintenanceOverdue } from './maintenance-overdue';

const ASOF = at('2026-03-02');
const service = workOrder('1', at('2026-01-10'), { hoursAtService: 1000 });
const running = (hours: number) => [
  reading(at('2026-02-01'), 1400, 't-1'),
  reading(at('2026-03-01'), hours, 't-2'),
];

describe('MAINTENANCE_OVERDUE', () => {
  it('fires at 1.1 x 500 h = 550.0 h since the last dealer service', () => {
    const r = detectMaintenanceOverdue(
      machine({ workOrders: [service], readings: running(1550) }),
      ASOF,
      RULES,
    );
    expect(r.decisions).toHaveLength(1);
    expect(r.decisions[0]).toMatchObject({
      id: expectedId(SERIAL, 'MAINTENANCE_OVERDUE', 'after:1'),
      serialNumber: SERIAL,
      family: 'lapse',
      message: `${SERIAL} at 1550.0 h, 550.0 h since the last dealer service`,
      evidenceEventIds: ['t-2', 'wo-1'],
    });
  });

  it('does not fire at 549.9 h', () => {
    expect(
      detectMaintenanceOverdue(machine({ workOrders: [service], readings: running(1549.9) }), ASOF, RULES),
    ).toEqual({
      decisions: [],
      nextCheckAtMs: null,
    });
  });

  it('uses the per-model interval (dealer override wins)', () => {
    const rules = rulesWith({}, { perModel: { 'PC200-8': { serviceIntervalHours: 250 } } });
    const m = (h: number) =>
      machine({
        workOrders: [service],
        readings: [reading(at('2026-02-01'), 1100, 't-1'), reading(at('2026-03-01'), h, 't-2')],
      });
    expect(detectMaintenanceOverdue(m(1275), ASOF, rules).decisions).toHaveLength(1);
    expect(detectMaintenanceOverdue(m(1274.9), ASOF, rules).decisions).toHaveLength(0);
    expect(DEFAULT_RULE_SET.perModel).toBeUndefined();
  });

  it('needs the machine to be running (meter moved in the last 30 days)', () => {
    const flat = [reading(at('2026-01-20'), 1600, 't-1'), reading(at('2026-03-01'), 1600, 't-2')];
    expect(
      detectMaintenanceOverdue(machine({ workOrders: [service], readings: flat }), ASOF, RULES).decisions,
    ).toEqual([]);
  });

  it('is reset by a maintenance labour order, not by a repair or an order without labour', () => {
    const later = (patch: object) => workOrder('2', at('2026-02-15'), { hoursAtService: 1450, ...patch });
    const m = (wo: object) => machine({ workOrders: [service, later(wo)], readings: running(1550) });
    expect(detectMaintenanceOverdue(m({}), ASOF, RULES).decisions).toEqual([]);
    expect(detectMaintenanceOverdue(m({ kind: 'repair' }), ASOF, RULES).decisions).toHaveLength(1);
    expect(detectMaintenanceOverdue(m({ labour: false }), ASOF, RULES).decisions).toHaveLength(1);
  });

  it('takes the service hours from the meter when the DMS did not send them', () => {
    const wo = workOrder('1', at('2026-02-02'));
    const m = machine({ workOrders: [wo], readings: running(1950) });
    expect(detectMaintenanceOverdue(m, ASOF, RULES).decisions[0].message).toBe(
      `${SERIAL} at 1950.0 h, 550.0 h since the last dealer service`,
    );
  });

  it('counts from 0 h, saying only what the meter shows, when neither a service nor the start is known', () => {
    const m = machine({
      readings: [reading(at('2026-02-01'), 100, 't-1'), reading(at('2026-03-01'), 560, 't-2')],
    });
    const d = detectMaintenanceOverdue(m, ASOF, RULES).decisions[0];
    expect(d.message).toBe(`${SERIAL} at 560.0 h, 560.0 h on the meter, no dealer service on record`);
    expect(d.evidenceEventIds).toEqual(['t-2']);
    expect(d.episode).toBe('after:delivery');
  });

  describe('a used machine without any dealer service', () => {
    const OWNED = at('2026-01-01');
    const used = (now: number, first = OWNED, acquiredByTransfer = true) =>
      machine({
        ownedSince: OWNED,
        acquiredByTransfer,
        readings: [
          reading(first, 3000, 't-0'),
          reading(first + 5 * DAY, 3020, 't-1'),
          reading(at('2026-03-01'), now, 't-2'),
        ],
      });

    it('counts from the meter when it became the customer’s: fires at 3000 + 550 h, not at 3549.9 h', () => {
      const d = detectMaintenanceOverdue(used(3550), ASOF, RULES).decisions[0];
      expect(d).toMatchObject({
        id: expectedId(SERIAL, 'MAINTENANCE_OVERDUE', 'after:delivery'),
        message: `${SERIAL} at 3550.0 h, 550.0 h since it became the customer's (2026-01-01), no dealer service on record`,
        evidenceEventIds: ['t-2', 't-0'],
      });
      expect(detectMaintenanceOverdue(used(3549.9), ASOF, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: null,
      });
    });

    it('a delivered machine (not a transfer) counts from 0 h: its delivery may be recorded years late', () => {
      const d = detectMaintenanceOverdue(used(3550, OWNED, false), ASOF, RULES).decisions[0];
      expect(d.message).toBe(`${SERIAL} at 3550.0 h, 3550.0 h on the meter, no dealer service on record`);
      expect(d.evidenceEventIds).toEqual(['t-2']);
    });

    it('does not fire five days after a transfer at 3000 h', () => {
      expect(detectMaintenanceOverdue(used(3020), OWNED + 5 * DAY, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: null,
      });
    });

    it('takes its first reading when it comes within 14 days of the start, else 0 h', () => {
      const d = detectMaintenanceOverdue(used(3550, OWNED + 14 * DAY), ASOF, RULES).decisions[0];
      expect(d.message).toBe(
        `${SERIAL} at 3550.0 h, 550.0 h since its first reading as the customer's (2026-01-15), no dealer service on record`,
      );
      // 14 days + 1 ms later: the meter then is not known (the history may begin after the delivery).
      const late = detectMaintenanceOverdue(used(3550, OWNED + 14 * DAY + 1), ASOF, RULES).decisions[0];
      expect(late.message).toBe(`${SERIAL} at 3550.0 h, 3550.0 h on the meter, no dealer service on record`);
    });
  });

  it('keeps its id as the meter and the as-of move on', () => {
    const a = detectMaintenanceOverdue(
      machine({ workOrders: [service], readings: running(1550) }),
      ASOF,
      RULES,
    );
    const b = detectMaintenanceOverdue(
      machine({ workOrders: [service], readings: [...running(1550), reading(ASOF + DAY, 1570, 't-3')] }),
      ASOF + 2 * DAY,
      RULES,
    );
    expect(b.decisions[0].id).toBe(a.decisions[0].id);
  });
});
