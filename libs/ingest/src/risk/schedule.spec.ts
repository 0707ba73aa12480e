import { DEFAULT_TELEMATICS_EVALUATION_MS, snapshotEvaluationAt, timerRows } from './schedule';

const HOUR = DEFAULT_TELEMATICS_EVALUATION_MS;
const T = Date.parse('2026-03-04T10:17:23.456Z');

describe('snapshotEvaluationAt', () => {
  it('is the snapshot instant itself with period 0', () => {
    expect(snapshotEvaluationAt('d1', 'S1', T, 0)).toBe(T);
  });

  it('is the end of the machine period: at or after the snapshot, less than one period later', () => {
    for (let i = 0; i < 200; i++) {
      const at = T + i * 7_919_000;
      const due = snapshotEvaluationAt('d1', `S${i}`, at, HOUR);
      expect(due).toBeGreaterThanOrEqual(at);
      expect(due - at).toBeLessThan(HOUR);
    }
  });

  it("gives every snapshot of one machine within one period the same instant, the next period's one hour later", () => {
    const due = snapshotEvaluationAt('d1', 'S1', T, HOUR);
    const start = due - HOUR + 1; // the first instant of the period that ends at `due`
    expect(snapshotEvaluationAt('d1', 'S1', start, HOUR)).toBe(due);
    expect(snapshotEvaluationAt('d1', 'S1', due - 1, HOUR)).toBe(due);
    expect(snapshotEvaluationAt('d1', 'S1', due, HOUR)).toBe(due); // on the grid: itself
    expect(snapshotEvaluationAt('d1', 'S1', due + 1, HOUR)).toBe(due + HOUR);
    expect(snapshotEvaluationAt('d1', 'S1', start - 1, HOUR)).toBe(due - HOUR);
  });

  it('spreads machines over the period (no herd at the top of the hour), per dealer and serial', () => {
    const offsets = Array.from(
      { length: 1000 },
      (_, i) => snapshotEvaluationAt('d1', `SN-${i}`, T, HOUR) - T,
    );
    const minutes = new Set(offsets.map((o) => Math.floor(o / 60_000)));
    expect(minutes.size).toBeGreaterThan(55); // of 60
    expect(snapshotEvaluationAt('d1', 'SN-1', T, HOUR)).not.toBe(snapshotEvaluationAt('d2', 'SN-1', T, HOUR));
  });

  it('folds a machine reporting every 5 minutes into one evaluation per hour', () => {
    const day = Array.from({ length: 24 * 12 }, (_, i) =>
      snapshotEvaluationAt('d1', 'S1', T + i * 300_000, HOUR),
    );
    const rows = timerRows(day.map((at) => ['d1', '#serial:S1', at] as [string, string, number]));
    expect(rows.flatMap((r) => r.instants)).toHaveLength(new Set(day).size);
    expect(new Set(day).size).toBeGreaterThanOrEqual(24);
    expect(new Set(day).size).toBeLessThanOrEqual(25);
  });
});
