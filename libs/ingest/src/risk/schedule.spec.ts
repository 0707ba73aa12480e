import { DEFAULT_TELEMATICS_EVALUATION_MS, snapshotEvaluationAt, timerRows } from './schedule';

const DAY = DEFAULT_TELEMATICS_EVALUATION_MS;
const HOUR = 3_600_000;
const T = Date.parse('2026-03-04T10:17:23.456Z');

describe('snapshotEvaluationAt', () => {
  it('is one day by default', () => {
    expect(DAY).toBe(86_400_000);
  });

  it('is the snapshot instant itself with period 0', () => {
    expect(snapshotEvaluationAt('d1', T, 0)).toBe(T);
  });

  it("is the end of the dealer's period: at or after the snapshot, less than one period later", () => {
    for (let i = 0; i < 200; i++) {
      const at = T + i * 7_919_000;
      for (const every of [HOUR, DAY]) {
        const due = snapshotEvaluationAt(`d${i % 7}`, at, every);
        expect(due).toBeGreaterThanOrEqual(at);
        expect(due - at).toBeLessThan(every);
      }
    }
  });

  it("gives every snapshot within one period the same instant, the next period's one period later", () => {
    const due = snapshotEvaluationAt('d1', T, DAY);
    const start = due - DAY + 1; // the first instant of the period that ends at `due`
    expect(snapshotEvaluationAt('d1', start, DAY)).toBe(due);
    expect(snapshotEvaluationAt('d1', due - 1, DAY)).toBe(due);
    expect(snapshotEvaluationAt('d1', due, DAY)).toBe(due); // on the grid: itself
    expect(snapshotEvaluationAt('d1', due + 1, DAY)).toBe(due + DAY);
    expect(snapshotEvaluationAt('d1', start - 1, DAY)).toBe(due - DAY);
  });

  it('spreads dealers over the period (no herd of every dealer at midnight)', () => {
    const offsets = Array.from({ length: 200 }, (_, i) => snapshotEvaluationAt(`dealer-${i}`, T, DAY) - T);
    const hours = new Set(offsets.map((o) => Math.floor(o / HOUR)));
    expect(hours.size).toBeGreaterThanOrEqual(20); // of 24
  });

  it('folds machines reporting every 5 minutes into one evaluation instant per dealer and day', () => {
    // Three machines of one customer, reporting at different minutes over two days.
    const entries = [0, 1, 2].flatMap((m) =>
      Array.from({ length: 2 * 24 * 12 }, (_, i) => {
        const at = T + i * 300_000 + m * 61_000;
        return ['d1', `#serial:S${m}`, snapshotEvaluationAt('d1', at, DAY)] as [string, string, number];
      }),
    );
    const instants = new Set(entries.map(([, , at]) => at));
    expect(instants.size).toBeGreaterThanOrEqual(2);
    expect(instants.size).toBeLessThanOrEqual(3);
    // Per machine, its timer rows carry exactly those instants.
    const rows = timerRows(entries.filter(([, s]) => s === '#serial:S0'));
    expect(rows.flatMap((r) => r.instants).sort()).toEqual([...instants].sort());
  });

  it('keeps one row per subject and 28-day span (epoch-aligned), instants distinct and ascending', () => {
    const span = 28 * DAY;
    const start = Math.ceil(T / span) * span; // a span boundary
    const days = Array.from({ length: 60 }, (_, i) => start + i * DAY + 3_600_000);
    const entries = [...days, ...days.slice(0, 5)]
      .reverse()
      .map((at) => ['d1', 'c1', at] as [string, string, number]);
    const rows = timerRows(entries).sort((a, b) => a.instants[0] - b.instants[0]);
    // Days 0–27, 28–55, 56–59: three rows, not one per week (a replay's sweep fires and rewrites every row).
    expect(rows.map((r) => r.instants.length)).toEqual([28, 28, 4]);
    expect(rows.map((r) => r.instants[0])).toEqual([days[0], days[28], days[56]]);
    for (const r of rows) expect(r.instants).toEqual([...r.instants].sort((a, b) => a - b));
    expect(
      timerRows([
        ['d1', 'c1', days[0]],
        ['d2', 'c1', days[0]],
        ['d1', 'c2', days[0]],
      ]),
    ).toHaveLength(3);
  });
});
