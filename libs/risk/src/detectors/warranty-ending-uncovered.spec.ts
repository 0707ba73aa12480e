import { DAY, RULES, SERIAL, at, expectedId, machine, reading } from '../spec-helpers';
import { detectWarrantyEndingUncovered } from './warranty-ending-uncovered';

const END = at('2026-03-01');
const warranty = { startsAt: at('2025-03-01'), endsAt: END, hoursLimit: 2000, eventId: 'w-1' };

describe('WARRANTY_ENDING_UNCOVERED', () => {
  it('fires exactly 90 days before the end date, with message, evidence, id and urgency', () => {
    const r = detectWarrantyEndingUncovered(machine({ warranty }), END - 90 * DAY, RULES);
    expect(r.nextCheckAtMs).toBeNull();
    expect(r.decisions).toEqual([
      {
        id: expectedId(SERIAL, 'WARRANTY_ENDING_UNCOVERED', 'ends:2026-03-01'),
        dealerId: 'd1',
        customerId: 'c-17',
        serialNumber: SERIAL,
        reasonCode: 'WARRANTY_ENDING_UNCOVERED',
        family: 'coverage',
        message: `warranty of ${SERIAL} ends 2026-03-01; offer extended warranty or maintenance contract`,
        evidenceEventIds: ['w-1'],
        ruleId: 'default:WARRANTY_ENDING_UNCOVERED',
        ruleVersion: '1',
        detectedAtMs: END - 90 * DAY,
        episode: 'ends:2026-03-01',
        urgency: { warrantyEndsAtMs: END },
      },
    ]);
  });

  it('does not fire 1 ms (or a day) earlier and asks to be checked at day 90', () => {
    for (const asOf of [END - 90 * DAY - 1, END - 91 * DAY]) {
      expect(detectWarrantyEndingUncovered(machine({ warranty }), asOf, RULES)).toEqual({
        decisions: [],
        nextCheckAtMs: END - 90 * DAY,
      });
    }
  });

  it('fires within 250 h of the hour limit (1750.0 h), not at 1749.9 h, projecting the end date', () => {
    const asOf = at('2025-09-01');
    const readings = (h: number) => [
      reading(at('2025-08-01'), 1500, 't-1'),
      reading(at('2025-08-31'), h, 't-2'),
    ];
    const hit = detectWarrantyEndingUncovered(machine({ warranty, readings: readings(1750) }), asOf, RULES);
    expect(hit.decisions.map((d) => [d.message, d.evidenceEventIds, d.urgency])).toEqual([
      [
        `warranty of ${SERIAL} ends 2025-09-30; offer extended warranty or maintenance contract`,
        ['w-1', 't-2'],
        { warrantyEndsAtMs: at('2025-09-30') },
      ],
    ]);
    const miss = detectWarrantyEndingUncovered(
      machine({ warranty, readings: readings(1749.9) }),
      asOf,
      RULES,
    );
    expect(miss).toEqual({ decisions: [], nextCheckAtMs: END - 90 * DAY });
  });

  it('keeps the same id as the as-of moves within the episode', () => {
    const a = detectWarrantyEndingUncovered(machine({ warranty }), END - 90 * DAY, RULES).decisions[0];
    const b = detectWarrantyEndingUncovered(machine({ warranty }), END - 3 * DAY, RULES).decisions[0];
    expect(b.id).toBe(a.id);
    expect(b.detectedAtMs).toBe(END - 3 * DAY);
  });

  it('is quiet with an extended warranty or maintenance contract running past now', () => {
    const cover = {
      contractId: 'k1',
      kind: 'maintenance-contract' as const,
      startsAt: END,
      endsAt: at('2028-03-01'),
      eventId: 'x-1',
    };
    expect(
      detectWarrantyEndingUncovered(machine({ warranty, covers: [cover] }), END - 10 * DAY, RULES).decisions,
    ).toEqual([]);
    const cancelled = { ...cover, expired: { at: END - 20 * DAY, eventId: 'x-2' } };
    expect(
      detectWarrantyEndingUncovered(machine({ warranty, covers: [cancelled] }), END - 10 * DAY, RULES)
        .decisions,
    ).toHaveLength(1);
  });

  it('sets its next check at the end of a cover that ends before the warranty, and fires then', () => {
    // Warranty ends 2026-03-01, maintenance contract ends 2026-01-15, no telematics (the review's case).
    const contract = {
      contractId: 'MC-1',
      kind: 'maintenance-contract' as const,
      startsAt: at('2025-03-01'),
      endsAt: at('2026-01-15'),
      eventId: 'mc-1',
    };
    const m = machine({ warranty: { ...warranty, hoursLimit: undefined }, covers: [contract] });
    expect(detectWarrantyEndingUncovered(m, at('2025-12-10'), RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: at('2026-01-15'),
    });
    expect(detectWarrantyEndingUncovered(m, at('2026-01-15') - 1, RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: at('2026-01-15'),
    });
    expect(detectWarrantyEndingUncovered(m, at('2026-01-15'), RULES)).toEqual({
      decisions: [
        expect.objectContaining({
          id: expectedId(SERIAL, 'WARRANTY_ENDING_UNCOVERED', 'ends:2026-03-01'),
          message: `warranty of ${SERIAL} ends 2026-03-01; offer extended warranty or maintenance contract`,
          detectedAtMs: at('2026-01-15'),
        }),
      ],
      nextCheckAtMs: null,
    });
  });

  it('after a cover that ends before the 90-day mark, checks at the mark; none past the warranty end', () => {
    const cover = (endsAt: number) => ({
      contractId: 'MC-1',
      kind: 'maintenance-contract' as const,
      startsAt: at('2025-03-01'),
      endsAt,
      eventId: 'mc-1',
    });
    const early = machine({ warranty, covers: [cover(at('2025-10-01'))] });
    expect(detectWarrantyEndingUncovered(early, at('2025-09-01'), RULES).nextCheckAtMs).toBe(END - 90 * DAY);
    // Two covers: covered until the later one ends.
    const two = machine({
      warranty,
      covers: [cover(at('2025-10-01')), { ...cover(at('2026-01-20')), contractId: 'MC-2' }],
    });
    expect(detectWarrantyEndingUncovered(two, at('2025-09-01'), RULES).nextCheckAtMs).toBe(at('2026-01-20'));
    // Near the hour limit already: due as soon as the cover ends, whatever the date.
    const readings = [reading(at('2025-08-31'), 1800, 't-2')];
    const busy = machine({ warranty, readings, covers: [cover(at('2025-10-01'))] });
    expect(detectWarrantyEndingUncovered(busy, at('2025-09-01'), RULES).nextCheckAtMs).toBe(at('2025-10-01'));
    expect(detectWarrantyEndingUncovered(busy, at('2025-10-01'), RULES).decisions).toHaveLength(1);
    // A cover running to or past the warranty's end: nothing left to check.
    const long = machine({ warranty, covers: [cover(END)] });
    expect(detectWarrantyEndingUncovered(long, at('2025-12-10'), RULES)).toEqual({
      decisions: [],
      nextCheckAtMs: null,
    });
  });

  it('is quiet once the warranty ended, by date or by reaching the hour limit', () => {
    expect(detectWarrantyEndingUncovered(machine({ warranty }), END, RULES).decisions).toEqual([]);
    const readings = [reading(at('2025-10-01'), 2000, 't-3')];
    expect(
      detectWarrantyEndingUncovered(machine({ warranty, readings }), at('2025-10-02'), RULES).decisions,
    ).toEqual([]);
  });

  it('honours configured thresholds', () => {
    const rules = {
      ...RULES,
      thresholds: { ...RULES.thresholds, warrantyEndingUncovered: { withinDays: 30, withinHours: 100 } },
    };
    expect(detectWarrantyEndingUncovered(machine({ warranty }), END - 31 * DAY, rules).nextCheckAtMs).toBe(
      END - 30 * DAY,
    );
  });
});
