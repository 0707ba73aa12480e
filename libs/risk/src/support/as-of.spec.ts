import { DAY, HOUR, at, customer, machine, reading, workOrder } from '../spec-helpers';
import { customerAsOf, fleetSizeAt, machineAsOf } from './as-of';

// What a state already holding later events shows as of an earlier instant: exactly what a state built from
// the events up to that instant would show (live and replay load their state at different moments).
const T = at('2026-03-02T12:00:00Z');

describe('machineAsOf', () => {
  const cover = {
    contractId: 'EW-1',
    kind: 'extended-warranty' as const,
    startsAt: at('2026-06-01'),
    endsAt: at('2027-06-01'),
    eventId: 'ext-1',
    knownAt: T + 30 * DAY,
  };

  it('a view cut after an earlier one (reused parts) equals one cut from scratch, at every instant', () => {
    // Daily readings and positions with a fault, a work order, a warranty expiry and a sale in between.
    const days = Array.from({ length: 40 }, (_, d) => T + d * DAY);
    const state = () =>
      machine({
        readings: days.map((t, d) => reading(t, 100 + d, `r-${d}`)),
        locations: days
          .filter((_, d) => d % 3 === 0)
          .map((t, d) => ({ at: t + HOUR, eventId: `l-${d}`, lat: d, lon: 1 })),
        faults: [
          {
            code: 'E-1',
            severity: 'high',
            firstSeenAt: T + 5 * DAY,
            eventId: 'r-5',
            occurrences: [
              { at: T + 5 * DAY, eventId: 'r-5' },
              { at: T + 20 * DAY, eventId: 'r-20' },
            ],
            lapsedAt: T + 12 * DAY,
            severities: [
              { at: T + 5 * DAY, severity: 'medium' },
              { at: T + 9 * DAY, severity: 'high' },
            ],
          },
          {
            code: 'E-2',
            severity: 'low',
            firstSeenAt: T + 7 * DAY,
            eventId: 'r-7',
            occurrences: [{ at: T + 7 * DAY, eventId: 'r-7' }],
            clearedAt: T + 25 * DAY,
          },
        ],
        warranty: {
          startsAt: at('2025-03-01'),
          endsAt: T + 15 * DAY,
          eventId: 'w-1',
          expired: { at: T + 15 * DAY, eventId: 'w-exp' },
        },
        workOrders: [
          workOrder('9', T + 8 * DAY, { closedAt: T + 10 * DAY, eventId: 'wo-9-c', openedEventId: 'wo-9-o' }),
        ],
        sold: { at: T + 30 * DAY, eventId: 'sold', toCustomerId: 'c-99' },
        lastTelematics: { at: days[days.length - 1], eventId: 'r-39' },
      });
    const instants = [...days, ...days.map((t) => t + 12 * HOUR), T - DAY, T + 100 * DAY];
    const shuffled = instants
      .map((t, i) => [t, (i * 7919) % instants.length] as const)
      .sort((a, b) => a[1] - b[1]);
    for (const order of [[...instants].sort((a, b) => a - b), shuffled.map(([t]) => t)]) {
      const m = state(); // views of one state, in this order
      for (const t of order) expect(machineAsOf(m, t)).toEqual(machineAsOf(state(), t));
    }
  });

  it('leaves out a cover bought later, and a warranty registered later', () => {
    const m = machine({
      warranty: { startsAt: at('2025-06-01'), endsAt: at('2026-06-01'), eventId: 'w-1', knownAt: T + DAY },
      covers: [cover],
    });
    expect(machineAsOf(m, T)).toMatchObject({ warranty: undefined, covers: [] });
    expect(machineAsOf(m, T + 30 * DAY).covers.map((c) => c.contractId)).toEqual(['EW-1']);
    // Unknown purchase time: known all along (as before).
    expect(machineAsOf(machine({ covers: [{ ...cover, knownAt: undefined }] }), T).covers).toHaveLength(1);
  });

  it('takes the latest snapshot up to the instant when the newest one is later', () => {
    const m = machine({
      readings: [reading(T - 7 * DAY, 100, 't-1'), reading(T + DAY, 110, 't-2')],
      locations: [{ at: T - 2 * DAY, eventId: 't-loc', lat: 1, lon: 2 }],
      lastTelematics: { at: T + DAY, eventId: 't-2' },
    });
    expect(machineAsOf(m, T).lastTelematics).toEqual({ at: T - 2 * DAY, eventId: 't-loc' });
    expect(machineAsOf(m, T + DAY).lastTelematics).toEqual({ at: T + DAY, eventId: 't-2' });
    expect(machineAsOf(m, T - 8 * DAY).lastTelematics).toBeUndefined();
  });

  it('shows an order closed later as open, with its opening event and meter', () => {
    const m = machine({
      workOrders: [
        workOrder('7', T - DAY, {
          closedAt: T + DAY,
          hoursAtService: 520,
          hoursAtOpen: 510,
          eventId: 'wo-7-closed',
          openedEventId: 'wo-7-opened',
        }),
      ],
    });
    expect(machineAsOf(m, T).workOrders).toEqual([
      {
        id: '7',
        kind: 'maintenance',
        openedAt: T - DAY,
        closedAt: undefined,
        labour: false,
        downtimeHours: undefined,
        hoursAtService: 510,
        hoursAtOpen: 510,
        eventId: 'wo-7-opened',
        openedEventId: 'wo-7-opened',
      },
    ]);
    expect(machineAsOf(m, T + DAY).workOrders[0]).toMatchObject({
      hoursAtService: 520,
      eventId: 'wo-7-closed',
    });
  });

  it('knows a fault from the snapshot that reported it, not from its earlier firstSeenAt', () => {
    const fault = {
      code: 'CA431',
      severity: 'high' as const,
      firstSeenAt: T - 3 * HOUR,
      eventId: 't-9',
      occurrences: [{ at: T + HOUR, eventId: 't-9' }],
    };
    expect(machineAsOf(machine({ faults: [fault] }), T).faults).toEqual([]);
    expect(machineAsOf(machine({ faults: [fault] }), T + HOUR).faults).toHaveLength(1);
  });

  describe('a fault with history', () => {
    // Listed medium at T, gone at T + 1 d, listed again (high) at T + 3 d, gone, cleared explicitly at T + 9 d.
    const fault = {
      code: 'E-5',
      severity: 'high' as const,
      severities: [
        { at: T, severity: 'medium' as const },
        { at: T + 3 * DAY, severity: 'high' as const },
      ],
      firstSeenAt: T - HOUR,
      eventId: 't-0',
      occurrences: [
        { at: T, eventId: 't-0' },
        { at: T + 3 * DAY, eventId: 't-3' },
      ],
      lapsedAt: T + DAY,
      clearedAt: T + 9 * DAY,
    };
    const view = (severity: 'medium' | 'high', n: number) => [
      {
        code: 'E-5',
        severity,
        firstSeenAt: T - HOUR,
        eventId: 't-0',
        occurrences: fault.occurrences.slice(0, n),
        // The severity changes up to the instant (none yet: absent): FAULT_WITHOUT_VISIT counts from the one
        // into high/critical.
        ...(n > 1 ? { severities: fault.severities.slice(0, n) } : {}),
      },
    ];

    it('is open while listed, cleared from its lapse until listed again, and for good from its clear', () => {
      const m = machine({ faults: [fault] });
      expect(machineAsOf(m, T - 1).faults).toEqual([]);
      expect(machineAsOf(m, T).faults).toStrictEqual(view('medium', 1));
      expect(machineAsOf(m, T + DAY - 1).faults).toStrictEqual(view('medium', 1));
      expect(machineAsOf(m, T + DAY).faults).toEqual([]);
      expect(machineAsOf(m, T + 3 * DAY - 1).faults).toEqual([]);
      expect(machineAsOf(m, T + 3 * DAY).faults).toStrictEqual(view('high', 2));
      expect(machineAsOf(m, T + 9 * DAY - 1).faults).toStrictEqual(view('high', 2));
      expect(machineAsOf(m, T + 9 * DAY).faults).toEqual([]);
    });

    it('a fault without history, fully known at the instant, is its own view', () => {
      const { code, severity, firstSeenAt, eventId, occurrences } = view('high', 2)[0];
      const plain = { code, severity, firstSeenAt, eventId, occurrences };
      expect(machineAsOf(machine({ faults: [plain] }), T + 4 * DAY).faults[0]).toBe(plain);
    });
  });

  it('cuts the same view at every instant of a stretch without facts as a fresh state would', () => {
    const fault = {
      code: 'E-41',
      severity: 'high' as const,
      firstSeenAt: T - 3 * DAY,
      eventId: 't-f',
      occurrences: [
        { at: T - 3 * DAY, eventId: 't-f' },
        { at: T + 2 * DAY, eventId: 't-f2' },
      ],
      clearedAt: T + 4 * DAY,
    };
    // Lapses and changes severity at instants nothing else happens: change points of their own.
    const lapsing = {
      code: 'E-42',
      severity: 'high' as const,
      severities: [
        { at: T, severity: 'medium' as const },
        { at: T + 3 * DAY + 6 * HOUR, severity: 'high' as const },
      ],
      firstSeenAt: T,
      eventId: 't-2',
      occurrences: [
        { at: T, eventId: 't-2' },
        { at: T + 2 * DAY + 6 * HOUR, eventId: 't-g' },
      ],
      lapsedAt: T + DAY + 6 * HOUR,
    };
    const m = machine({
      readings: [reading(T - 5 * DAY, 100, 't-1'), reading(T, 104, 't-2'), reading(T + 3 * DAY, 110, 't-3')],
      locations: [{ at: T + DAY, eventId: 't-loc', lat: 1, lon: 2 }],
      faults: [fault, lapsing],
      warranty: {
        startsAt: at('2025-06-01'),
        endsAt: at('2026-06-01'),
        eventId: 'w-1',
        knownAt: T - 9 * DAY,
      },
      covers: [cover],
      workOrders: [workOrder('7', T - DAY, { closedAt: T + 2 * DAY + 5 * HOUR, eventId: 'wo-7-closed' })],
      sold: { at: T + 5 * DAY, eventId: 's-1', toCustomerId: 'c-2' },
      lastTelematics: { at: T + 3 * DAY, eventId: 't-3' },
    });
    // Every fact instant, one ms either side, and instants between them, in order and then backwards.
    const facts = [-9, -5, -3, -1, 0, 1, 2, 3, 4, 5, 30].map((d) => T + d * DAY);
    const instants = [...facts.flatMap((f) => [f - 1, f, f + 1, f + 5 * HOUR, f + 7 * HOUR]), T + 40 * DAY];
    for (const t of [...instants, ...[...instants].reverse()]) {
      expect(machineAsOf(m, t)).toEqual(machineAsOf(structuredClone(m), t));
    }
    // Within a stretch the view is reused, and it still counts as cut at the later instant.
    const view = machineAsOf(m, T + 6 * HOUR);
    expect(machineAsOf(m, T + 20 * HOUR)).toBe(view);
    expect(machineAsOf(view, T + 20 * HOUR)).toBe(view);
    expect(machineAsOf(m, T + DAY)).not.toBe(view);
  });
});

describe('customerAsOf', () => {
  it('counts fleet hours of whole days only (a day is summed up to its last reading)', () => {
    const day = at('2026-03-02');
    const c = customer({
      fleetHours: [
        { at: day - DAY, hours: 8 },
        { at: day, hours: 9 },
      ],
    });
    expect(customerAsOf(c, day + 12 * HOUR).fleetHours).toEqual([{ at: day - DAY, hours: 8 }]);
    expect(customerAsOf(c, day + DAY).fleetHours).toHaveLength(2);
  });

  it('takes the fleet hours of whole days, sorted, whether the list was sorted or not', () => {
    const day = at('2026-03-02');
    const days = [3, 0, 2, 2, 1].map((d, i) => ({ at: day + d * DAY, hours: i }));
    const sorted = [...days].sort((a, b) => a.at - b.at);
    for (let h = -24; h <= 5 * 24; h += 6) {
      const asOf = day + h * HOUR;
      const expected = sorted.filter((d) => d.at + DAY <= asOf);
      expect(customerAsOf(customer({ fleetHours: days }), asOf).fleetHours).toEqual(expected);
      expect(customerAsOf(customer({ fleetHours: sorted }), asOf).fleetHours).toEqual(expected);
    }
  });
});

describe('fleetSizeAt', () => {
  it('counts the machines owned at the instant: delivered or bought by then, not sold yet', () => {
    const machines = [
      machine({ serialNumber: 'A' }),
      machine({ serialNumber: 'B', ownedSince: T + DAY }),
      machine({ serialNumber: 'C', sold: { at: T - DAY, eventId: 'own-1', toCustomerId: 'c-2' } }),
      machine({ serialNumber: 'D', sold: { at: T + DAY, eventId: 'own-2', toCustomerId: 'c-2' } }),
    ];
    expect(fleetSizeAt(machines, T)).toBe(2);
    expect(fleetSizeAt(machines, T + DAY)).toBe(2);
  });
});
