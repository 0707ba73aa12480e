import { scoreBacktest, unitKey, type CutoffCase, type Flag, type Unit } from './metrics';

const u = (serial: string, customer = 'c1'): Unit => ({
  dealerId: 'd',
  customerId: customer,
  serialNumber: serial,
});
const flag = (unit: Unit, priority: number, ...reasons: string[]): Flag => ({ unit, priority, reasons });
const labels = (entries: [Unit, boolean][]) => new Map(entries.map(([x, v]) => [unitKey(x), v]));

describe('scoreBacktest', () => {
  // Hand-computed: cut-off 1 has 5 units, 2 lapsed (A, B); flags A (PG, 9), C (PG+DET, 5), E (unlabelled).
  // Cut-off 2 has 4 units, 1 lapsed (D); flags D (DET, 1), A (PG, 2).
  const A = u('A');
  const B = u('B');
  const C = u('C');
  const D = u('D', 'c2');
  const E = u('E', 'c3');
  const cases: CutoffCase[] = [
    {
      cutoffMs: 1,
      labels: labels([
        [A, true],
        [B, true],
        [C, false],
        [D, false],
        [u('F'), false],
      ]),
      flags: [flag(A, 9, 'PG'), flag(C, 5, 'PG', 'DET'), flag(E, 100, 'PG')],
    },
    {
      cutoffMs: 2,
      labels: labels([
        [A, false],
        [B, false],
        [C, false],
        [D, true],
      ]),
      flags: [flag(D, 1, 'DET'), flag(A, 2, 'PG')],
    },
  ];
  const s = scoreBacktest(cases, [1, 10]);

  it('overall: 9 units, 3 lapsed, 4 labelled flags, 2 hits', () => {
    expect(s.overall).toEqual({
      population: 9,
      positives: 3,
      flagged: 4,
      truePositives: 2,
      precision: 0.5,
      recall: 2 / 3,
      lift: 0.5 / (3 / 9),
    });
  });

  it('top-1 per cut-off takes the highest priority of each (A, then A): 1 hit of 2', () => {
    expect(s.topK[0]).toMatchObject({ k: 1, flagged: 2, truePositives: 1, precision: 0.5, recall: 1 / 3 });
    expect(s.topK[1]).toMatchObject({ k: 10, flagged: 4, truePositives: 2 });
  });

  it('per reason: PG flagged A, C, A (1 hit); DET flagged C, D (1 hit)', () => {
    expect(s.byReason).toEqual([
      expect.objectContaining({ reason: 'DET', flagged: 2, truePositives: 1, precision: 0.5, recall: 1 / 3 }),
      expect.objectContaining({ reason: 'PG', flagged: 3, truePositives: 1, precision: 1 / 3 }),
    ]);
  });

  it('no flags and no lapses give null ratios, not NaN', () => {
    const empty = scoreBacktest([{ cutoffMs: 1, labels: labels([[A, false]]), flags: [] }], [5]);
    expect(empty.overall).toMatchObject({ precision: null, recall: null, lift: null, population: 1 });
  });

  it('top-K is per (dealer, branch): each queue gets its own K slots at each cut-off', () => {
    // Dealer a: branch 1 has A1 (lapsed, 100) and A2 (not, 90); branch 2 has A3 (lapsed, 5).
    // Dealer b, branch 1 (same id as a's): B1 (lapsed, 1). Top-1: A1, A3, B1 = 3 flagged, 3 hits.
    const at = (dealerId: string, branchId: string, serial: string): Unit => ({
      dealerId,
      customerId: 'c',
      serialNumber: serial,
      branchId,
    });
    const [a1, a2, a3, b1] = [
      at('a', 'b-1', 'A1'),
      at('a', 'b-1', 'A2'),
      at('a', 'b-2', 'A3'),
      at('b', 'b-1', 'B1'),
    ];
    const top = scoreBacktest(
      [
        {
          cutoffMs: 1,
          labels: labels([
            [a1, true],
            [a2, false],
            [a3, true],
            [b1, true],
          ]),
          flags: [flag(a1, 100, 'X'), flag(a2, 90, 'X'), flag(a3, 5, 'X'), flag(b1, 1, 'X')],
        },
      ],
      [1],
    ).topK[0];
    expect(top).toEqual({
      k: 1,
      population: 4,
      positives: 3,
      flagged: 3,
      truePositives: 3,
      precision: 1,
      recall: 1,
      lift: 4 / 3,
    });
  });
});
