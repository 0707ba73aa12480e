import type { ActiveFault } from '../model/machine-state';
import { DAY, HOUR, RULES, SERIAL, at, expectedId, machine, workOrder } from '../spec-helpers';
import { detectFaultWithoutVisit } from './fault-without-visit';

const SEEN = at('2026-04-10T18:00:00Z');
const fault = (patch: Partial<ActiveFault> = {}): ActiveFault => ({
  code: 'CA431',
  severity: 'high',
  firstSeenAt: SEEN,
  eventId: 't-9f2',
  occurrences: [{ at: SEEN, eventId: 't-9f2' }],
  ...patch,
});

describe('FAULT_WITHOUT_VISIT', () => {
  it('fires 14 days after a high fault without a dealer work order', () => {
    const prior = workOrder('5000', SEEN - 40 * DAY);
    const r = detectFaultWithoutVisit(
      machine({ faults: [fault()], workOrders: [prior] }),
      SEEN + 14 * DAY,
      RULES,
    );
    expect(r).toEqual({
      decisions: [
        expect.objectContaining({
          id: expectedId(SERIAL, 'FAULT_WITHOUT_VISIT', 'fault:CA431:2026-04-10T18:00:00.000Z'),
          serialNumber: SERIAL,
          family: 'technical',
          message: 'fault CA431 active 14 days: offer diagnosis',
          evidenceEventIds: ['t-9f2', 'wo-5000'],
          urgency: { dueSinceMs: SEEN + 14 * DAY },
        }),
      ],
      nextCheckAtMs: null,
    });
  });

  it('does not fire 1 ms before day 14 and sets the timer', () => {
    expect(detectFaultWithoutVisit(machine({ faults: [fault()] }), SEEN + 14 * DAY - 1, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: SEEN + 14 * DAY,
    });
  });

  it('is cancelled by any dealer work order opened since the fault appeared', () => {
    const visit = workOrder('5512', SEEN + 2 * DAY, { kind: 'inspection', labour: false });
    expect(
      detectFaultWithoutVisit(machine({ faults: [fault()], workOrders: [visit] }), SEEN + 20 * DAY, RULES),
    ).toEqual({
      decisions: [],
      nextCheckAtMs: null,
    });
  });

  it('counts a medium fault seen 3 times within 7 days, from the third occurrence', () => {
    const occ = (last: number) => [
      { at: SEEN, eventId: 'o1' },
      { at: SEEN + 3 * DAY, eventId: 'o2' },
      { at: last, eventId: 'o3' },
    ];
    const m = (last: number) => machine({ faults: [fault({ severity: 'medium', occurrences: occ(last) })] });
    expect(detectFaultWithoutVisit(m(SEEN + 7 * DAY), SEEN + 8 * DAY, RULES).nextCheckAtMs).toBe(
      SEEN + 21 * DAY,
    );
    expect(detectFaultWithoutVisit(m(SEEN + 7 * DAY), SEEN + 21 * DAY, RULES).decisions[0]).toMatchObject({
      message: 'fault CA431 active 21 days: offer diagnosis',
      evidenceEventIds: ['t-9f2', 'o3'],
    });
    expect(detectFaultWithoutVisit(m(SEEN + 7 * DAY + 1), SEEN + 30 * DAY, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: null,
    });
  });

  describe('an intermittent medium code listed on days 0, 2 and 4 (gone from day 5 on)', () => {
    // As foldFaults gives it: the episode stays open (no clearedAt) once the code came back.
    const intermittent = fault({
      severity: 'medium',
      occurrences: [0, 2, 4].map((d) => ({ at: SEEN + d * DAY, eventId: `t-${d}` })),
    });
    it('qualifies on day 4 and fires on day 18, not 1 ms before', () => {
      const m = machine({ faults: [intermittent] });
      expect(detectFaultWithoutVisit(m, SEEN + 4 * DAY, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: SEEN + 18 * DAY,
      });
      expect(detectFaultWithoutVisit(m, SEEN + 18 * DAY - 1, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: SEEN + 18 * DAY,
      });
      expect(detectFaultWithoutVisit(m, SEEN + 18 * DAY, RULES)).toEqual({
        decisions: [
          expect.objectContaining({
            id: expectedId(SERIAL, 'FAULT_WITHOUT_VISIT', 'fault:CA431:2026-04-10T18:00:00.000Z'),
            message: 'fault CA431 active 18 days: offer diagnosis',
            evidenceEventIds: ['t-9f2', 't-4'],
            urgency: { dueSinceMs: SEEN + 18 * DAY },
          }),
        ],
        nextCheckAtMs: null,
      });
    });
    it('does not fire when a dealer work order opened within the 14 days', () => {
      const visit = workOrder('5600', SEEN + 17 * DAY, { kind: 'repair' });
      const m = machine({ faults: [intermittent], workOrders: [visit] });
      expect(detectFaultWithoutVisit(m, SEEN + 18 * DAY, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: null,
      });
    });
    it('stops counting once its last occurrence is 7 + 14 days old', () => {
      const m = machine({ faults: [intermittent] });
      expect(detectFaultWithoutVisit(m, SEEN + 25 * DAY - 1, RULES).decisions).toHaveLength(1);
      expect(detectFaultWithoutVisit(m, SEEN + 25 * DAY, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: null,
      });
    });
  });

  describe('as of an instant, whatever later snapshots the state holds', () => {
    it('a high fault listed once and gone on day 2 neither fires nor sets a timer while gone', () => {
      // Listed again on day 10: the same episode, open again from then on.
      const back = fault({
        occurrences: [
          { at: SEEN, eventId: 't-9f2' },
          { at: SEEN + 10 * DAY, eventId: 't-a10' },
        ],
        lapsedAt: SEEN + 2 * DAY,
      });
      const m = machine({ faults: [back] });
      expect(detectFaultWithoutVisit(m, SEEN + DAY, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: SEEN + 14 * DAY,
      });
      expect(detectFaultWithoutVisit(m, SEEN + 5 * DAY, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: null,
      });
      expect(detectFaultWithoutVisit(m, SEEN + 10 * DAY, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: SEEN + 14 * DAY,
      });
      expect(detectFaultWithoutVisit(m, SEEN + 14 * DAY, RULES).decisions[0]).toMatchObject({
        message: 'fault CA431 active 14 days: offer diagnosis',
        evidenceEventIds: ['t-9f2', 't-a10'],
      });
      // Never listed again: cleared for good.
      const gone = machine({ faults: [fault({ lapsedAt: SEEN + 2 * DAY })] });
      expect(detectFaultWithoutVisit(gone, SEEN + 14 * DAY, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: null,
      });
    });

    it('counts a fault by the severity it was listed with then', () => {
      // Listed medium, high from day 20 on (listed all along).
      const raised = fault({
        severities: [
          { at: SEEN, severity: 'medium' },
          { at: SEEN + 20 * DAY, severity: 'high' },
        ],
      });
      const m = machine({ faults: [raised] });
      expect(detectFaultWithoutVisit(m, SEEN + 14 * DAY, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: null,
      });
      // High from day 20: due 14 days after that, not 14 days after the first (medium) listing.
      expect(detectFaultWithoutVisit(m, SEEN + 20 * DAY, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: SEEN + 34 * DAY,
      });
      expect(detectFaultWithoutVisit(m, SEEN + 34 * DAY - 1, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: SEEN + 34 * DAY,
      });
      expect(detectFaultWithoutVisit(m, SEEN + 34 * DAY, RULES)).toEqual({
        decisions: [
          expect.objectContaining({
            id: expectedId(SERIAL, 'FAULT_WITHOUT_VISIT', 'fault:CA431:2026-04-10T18:00:00.000Z'),
            message: 'fault CA431 active 34 days: offer diagnosis',
            evidenceEventIds: ['t-9f2'],
            urgency: { dueSinceMs: SEEN + 34 * DAY },
          }),
        ],
        nextCheckAtMs: null,
      });
    });

    it('counts 14 days from when it became high/critical: low on day 0, high on day 13 is due on day 27', () => {
      const raised = fault({
        severity: 'high',
        severities: [
          { at: SEEN, severity: 'low' },
          { at: SEEN + 13 * DAY, severity: 'high' },
        ],
      });
      const m = machine({ faults: [raised] });
      expect(detectFaultWithoutVisit(m, SEEN + 12 * DAY, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: null,
      });
      for (const asOf of [SEEN + 13 * DAY, SEEN + 14 * DAY, SEEN + 27 * DAY - 1]) {
        expect(detectFaultWithoutVisit(m, asOf, RULES)).toEqual({
          decisions: [],
          nextCheckAtMs: SEEN + 27 * DAY,
        });
      }
      expect(detectFaultWithoutVisit(m, SEEN + 27 * DAY, RULES).decisions[0]).toMatchObject({
        message: 'fault CA431 active 27 days: offer diagnosis',
        urgency: { dueSinceMs: SEEN + 27 * DAY },
      });
    });

    it('keeps counting from the first high listing while it stays high or critical', () => {
      const raised = fault({
        severity: 'critical',
        severities: [
          { at: SEEN, severity: 'high' },
          { at: SEEN + 5 * DAY, severity: 'critical' },
        ],
      });
      const m = machine({ faults: [raised] });
      expect(detectFaultWithoutVisit(m, SEEN + 14 * DAY - 1, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: SEEN + 14 * DAY,
      });
      expect(detectFaultWithoutVisit(m, SEEN + 14 * DAY, RULES).decisions[0].urgency).toEqual({
        dueSinceMs: SEEN + 14 * DAY,
      });
    });

    it('restarts the count when it was lowered and raised again', () => {
      const m = machine({
        faults: [
          fault({
            severity: 'high',
            severities: [
              { at: SEEN, severity: 'high' },
              { at: SEEN + 5 * DAY, severity: 'medium' },
              { at: SEEN + 10 * DAY, severity: 'high' },
            ],
          }),
        ],
      });
      // High since day 10 (not since day 0): due on day 24.
      expect(detectFaultWithoutVisit(m, SEEN + 24 * DAY - 1, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: SEEN + 24 * DAY,
      });
      expect(detectFaultWithoutVisit(m, SEEN + 24 * DAY, RULES).decisions).toHaveLength(1);
      // As of day 7 it was medium and listed once: nothing to count.
      expect(detectFaultWithoutVisit(m, SEEN + 7 * DAY, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: null,
      });
    });

    it('takes the repeats when they qualified it before it became high', () => {
      const occurrences = [
        { at: SEEN, eventId: 'o1' },
        { at: SEEN + DAY, eventId: 'o2' },
        { at: SEEN + 2 * DAY, eventId: 'o3' },
      ];
      const m = machine({
        faults: [
          fault({
            severity: 'high',
            occurrences,
            severities: [
              { at: SEEN, severity: 'medium' },
              { at: SEEN + 10 * DAY, severity: 'high' },
            ],
          }),
        ],
      });
      // Third occurrence on day 2: due on day 16, although high only from day 10.
      expect(detectFaultWithoutVisit(m, SEEN + 16 * DAY - 1, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: SEEN + 16 * DAY,
      });
      expect(detectFaultWithoutVisit(m, SEEN + 16 * DAY, RULES).decisions[0].urgency).toEqual({
        dueSinceMs: SEEN + 16 * DAY,
      });
    });
  });

  it('ignores low-severity single faults and cleared faults', () => {
    expect(
      detectFaultWithoutVisit(machine({ faults: [fault({ severity: 'medium' })] }), SEEN + 30 * DAY, RULES)
        .decisions,
    ).toEqual([]);
    const cleared = fault({ clearedAt: SEEN + HOUR });
    expect(detectFaultWithoutVisit(machine({ faults: [cleared] }), SEEN + 30 * DAY, RULES).decisions).toEqual(
      [],
    );
  });
});
