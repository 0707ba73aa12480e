import { DAY, RULES, SERIAL, at, expectedId, machine, reading, workOrder } from '../spec-helpers';
import { detectPostWarrantyNoService } from './post-warranty-no-service';

const END = at('2026-03-01');
const warranty = { startsAt: at('2025-03-01'), endsAt: END, eventId: 'w-1' };
const MESSAGE = `first post-warranty service not booked at the dealer (warranty of ${SERIAL} ended 2026-03-01)`;

describe('POST_WARRANTY_NO_SERVICE', () => {
  it('fires on day 120 after expiry without telematics, with message, evidence and id', () => {
    const r = detectPostWarrantyNoService(machine({ warranty }), END + 120 * DAY, RULES);
    expect(r.nextCheckAtMs).toBeNull();
    expect(r.decisions).toHaveLength(1);
    expect(r.decisions[0]).toMatchObject({
      id: expectedId(SERIAL, 'POST_WARRANTY_NO_SERVICE', 'ended:2026-03-01'),
      family: 'lapse',
      message: MESSAGE,
      evidenceEventIds: ['w-1'],
      urgency: { warrantyEndsAtMs: END, dueSinceMs: END + 120 * DAY },
    });
  });

  it('is not due on day 119 (nor 1 ms before day 120) and sets the timer', () => {
    for (const asOf of [END + 119 * DAY, END + 120 * DAY - 1, END - 5 * DAY]) {
      expect(detectPostWarrantyNoService(machine({ warranty }), asOf, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: END + 120 * DAY,
      });
    }
  });

  it('cites the expiry event, the last dealer work order and the last reading', () => {
    const m = machine({
      warranty: { ...warranty, expired: { at: END, eventId: 'w-exp' } },
      workOrders: [workOrder('5512', at('2026-02-10'), { hoursAtService: 1900 })],
      readings: [reading(at('2026-03-20'), 1950, 't-9')],
    });
    expect(detectPostWarrantyNoService(m, END + 120 * DAY, RULES).decisions[0].evidenceEventIds).toEqual([
      'w-1',
      'w-exp',
      'wo-5512',
      't-9',
    ]);
  });

  it('waits until the next service interval at the machine own rate when that is later than 120 days', () => {
    // 2 h/day; last service at 1900 h -> next at 2400 h, reached 231 days after the 2026-03-01 reading.
    const m = machine({
      warranty,
      workOrders: [workOrder('s1', at('2025-12-20'), { hoursAtService: 1900 })],
      readings: [reading(at('2026-01-01'), 1820, 't-1'), reading(END, 1938, 't-2')],
    });
    expect(detectPostWarrantyNoService(m, END + 230 * DAY, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: END + 231 * DAY,
    });
    expect(detectPostWarrantyNoService(m, END + 231 * DAY, RULES).decisions[0].urgency.dueSinceMs).toBe(
      END + 231 * DAY,
    );
  });

  it('never waits less than 120 days, even for a busy machine', () => {
    const m = machine({
      warranty,
      workOrders: [workOrder('s1', at('2025-12-20'), { hoursAtService: 1900 })],
      readings: [reading(at('2026-01-01'), 1900, 't-1'), reading(END, 2490, 't-2')], // 10 h/day
    });
    expect(detectPostWarrantyNoService(m, END, RULES).nextCheckAtMs).toBe(END + 120 * DAY);
  });

  it('waits past 365 days for a slow machine: the own interval is not capped (0.5 h/day, 400 days)', () => {
    // Last service at 1700 h, 2000 h at the end of warranty, 0.5 h/day: 2200 h is 400 days on.
    const m = machine({
      warranty,
      workOrders: [workOrder('s1', at('2025-06-01'), { hoursAtService: 1700 })],
      readings: [reading(END - 90 * DAY, 1955, 't-1'), reading(END, 2000, 't-2')],
    });
    expect(detectPostWarrantyNoService(m, END, RULES).nextCheckAtMs).toBe(END + 400 * DAY);
    expect(detectPostWarrantyNoService(m, END + 400 * DAY - 1, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: END + 400 * DAY,
    });
    expect(detectPostWarrantyNoService(m, END + 400 * DAY, RULES).decisions[0].urgency.dueSinceMs).toBe(
      END + 400 * DAY,
    );
  });

  it('applies maxDays only to a machine whose meter does not move', () => {
    const m = machine({
      warranty,
      workOrders: [workOrder('s1', at('2025-12-20'), { hoursAtService: 1900 })],
      readings: [reading(at('2026-01-01'), 1900, 't-1'), reading(END, 1900, 't-2')],
    });
    expect(detectPostWarrantyNoService(m, END, RULES).nextCheckAtMs).toBe(END + 365 * DAY);
  });

  it('is cancelled by a labour work order (or an open one) opened after expiry, not by one without labour', () => {
    const asOf = END + 200 * DAY;
    const after = (patch: object) =>
      machine({ warranty, workOrders: [workOrder('a', END + 30 * DAY, patch)] });
    expect(detectPostWarrantyNoService(after({}), asOf, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: null,
    });
    expect(
      detectPostWarrantyNoService(after({ closedAt: undefined, labour: false }), asOf, RULES).decisions,
    ).toEqual([]);
    expect(detectPostWarrantyNoService(after({ labour: false }), asOf, RULES).decisions).toHaveLength(1);
    // a work order opened after the as-of instant is not known yet
    expect(detectPostWarrantyNoService(after({}), END + 20 * DAY, RULES).nextCheckAtMs).toBe(END + 120 * DAY);
  });

  it('counts from the hour limit when it is reached before the end date', () => {
    const m = machine({
      warranty: { ...warranty, hoursLimit: 2000 },
      readings: [reading(at('2026-01-10'), 2000, 't-lim')],
    });
    const d = detectPostWarrantyNoService(m, at('2026-01-10') + 120 * DAY, RULES).decisions[0];
    expect(d.message).toBe(
      `first post-warranty service not booked at the dealer (warranty of ${SERIAL} ended 2026-01-10)`,
    );
    expect(d.episode).toBe('ended:2026-01-10');
  });

  it('counts from the end of an extended cover', () => {
    const cover = {
      contractId: 'k',
      kind: 'extended-warranty' as const,
      startsAt: END,
      endsAt: at('2027-03-01'),
      eventId: 'x',
    };
    const m = machine({ warranty, covers: [cover] });
    expect(detectPostWarrantyNoService(m, END + 200 * DAY, RULES).nextCheckAtMs).toBe(
      at('2027-03-01') + 120 * DAY,
    );
  });

  it('keeps its id while the as-of moves', () => {
    const a = detectPostWarrantyNoService(machine({ warranty }), END + 120 * DAY, RULES).decisions[0];
    const b = detectPostWarrantyNoService(machine({ warranty }), END + 300 * DAY, RULES).decisions[0];
    expect(b.id).toBe(a.id);
  });
});
