import type { Complaint } from '../model/customer-state';
import { DAY, HOUR, RULES, SERIAL, at, customer, expectedId, machine, workOrder } from '../spec-helpers';
import { detectBadServiceOnMachine, detectOpenComplaint } from './bad-service-experience';

const T = at('2026-03-01');
const repair = (id: string, when: number, patch = {}) => workOrder(id, when, { kind: 'repair', ...patch });

describe('BAD_SERVICE_EXPERIENCE on a machine', () => {
  it('fires for 2 repair orders 30 days apart, newest evidence first', () => {
    const m = machine({ workOrders: [repair('r1', T), repair('r2', T + 30 * DAY)] });
    expect(detectBadServiceOnMachine(m, T + 31 * DAY, RULES)).toEqual({
      decisions: [
        expect.objectContaining({
          id: expectedId(SERIAL, 'BAD_SERVICE_EXPERIENCE', 'repairs:r1'),
          serialNumber: SERIAL,
          family: 'experience',
          message: `repeat repair on ${SERIAL}: manager call`,
          evidenceEventIds: ['wo-r2', 'wo-r1'],
        }),
      ],
      nextCheckAtMs: null,
    });
  });

  it('does not fire for repairs 30 days + 1 ms apart, nor for maintenance orders', () => {
    const apart = machine({ workOrders: [repair('r1', T), repair('r2', T + 30 * DAY + 1)] });
    expect(detectBadServiceOnMachine(apart, T + 31 * DAY, RULES).decisions).toEqual([]);
    const service = machine({ workOrders: [workOrder('m1', T), workOrder('m2', T + DAY)] });
    expect(detectBadServiceOnMachine(service, T + 2 * DAY, RULES).decisions).toEqual([]);
  });

  it('keeps the episode when a third repair joins, and forgets it after 30 days', () => {
    const two = machine({ workOrders: [repair('r1', T), repair('r2', T + 5 * DAY)] });
    const three = machine({ workOrders: [...two.workOrders, repair('r3', T + 20 * DAY)] });
    expect(detectBadServiceOnMachine(three, T + 21 * DAY, RULES).decisions[0].id).toBe(
      detectBadServiceOnMachine(two, T + 6 * DAY, RULES).decisions[0].id,
    );
    expect(detectBadServiceOnMachine(two, T + 35 * DAY, RULES).decisions).toEqual([]);
  });

  it('fires for a closed order with downtime above 5 days (120.1 h), not at 120 h', () => {
    const m = (h: number) =>
      machine({ workOrders: [repair('r1', T, { closedAt: T + 6 * DAY, downtimeHours: h })] });
    expect(detectBadServiceOnMachine(m(120.1), T + 7 * DAY, RULES).decisions).toEqual([
      expect.objectContaining({
        message: `long downtime on ${SERIAL}: manager call`,
        evidenceEventIds: ['wo-r1'],
        episode: 'downtime:r1',
      }),
    ]);
    expect(detectBadServiceOnMachine(m(120), T + 7 * DAY, RULES).decisions).toEqual([]);
  });

  it('fires for a repair order open on day 6, not day 5 (timer set)', () => {
    const m = machine({ workOrders: [repair('r1', T, { closedAt: undefined, labour: false })] });
    expect(detectBadServiceOnMachine(m, T + 6 * DAY - 1, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: T + 6 * DAY,
    });
    expect(detectBadServiceOnMachine(m, T + 6 * DAY, RULES).decisions.map((d) => d.episode)).toEqual([
      'downtime:r1',
    ]);
  });
});

describe('BAD_SERVICE_EXPERIENCE from a complaint', () => {
  const complaint = (patch: Partial<Complaint> = {}): Complaint => ({
    id: 'cp-1',
    openedAt: T,
    eventId: 'cpl-1',
    ...patch,
  });
  const run = (c: Complaint, asOf: number) =>
    detectOpenComplaint({ customer: customer({ complaints: [c] }), machines: [] }, asOf, RULES);

  it('fires when open for 8 days (more than 7), customer-level, naming the machine', () => {
    expect(run(complaint({ serialNumber: SERIAL }), T + 8 * DAY).decisions).toEqual([
      expect.objectContaining({
        id: expectedId(null, 'BAD_SERVICE_EXPERIENCE', 'complaint:cp-1'),
        serialNumber: null,
        message: `complaint open 8 days on ${SERIAL}: manager call`,
        evidenceEventIds: ['cpl-1'],
      }),
    ]);
    expect(run(complaint(), T + 9 * DAY).decisions[0].message).toBe('complaint open 9 days: manager call');
  });

  it('does not fire on day 7, and not once resolved', () => {
    expect(run(complaint(), T + 8 * DAY - 1)).toEqual({ decisions: [], nextCheckAtMs: T + 8 * DAY });
    expect(run(complaint({ resolvedAt: T + HOUR }), T + 20 * DAY)).toEqual({
      decisions: [],
      nextCheckAtMs: null,
    });
    // resolved later than the as-of: still open as of then
    expect(run(complaint({ resolvedAt: T + 30 * DAY }), T + 20 * DAY).decisions).toHaveLength(1);
  });
});
