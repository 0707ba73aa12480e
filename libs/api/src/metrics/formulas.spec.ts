import {
  absorptionRate,
  addMonthsUtc,
  captureRate,
  earnedGrowthRate,
  netPromoterScore,
  netRevenueRetention,
  postWarrantyRetention,
  type WarrantyEnd,
} from './formulas';

const at = (s: string) => Date.parse(s);

describe('addMonthsUtc', () => {
  it('adds calendar months, clamping the 31st and keeping the time of day', () => {
    expect(new Date(addMonthsUtc(at('2025-03-15T10:30:00Z'), 12)).toISOString()).toBe(
      '2026-03-15T10:30:00.000Z',
    );
    expect(new Date(addMonthsUtc(at('2025-01-31T00:00:00Z'), 1)).toISOString()).toBe(
      '2025-02-28T00:00:00.000Z',
    );
    expect(new Date(addMonthsUtc(at('2024-02-29T06:00:00Z'), 12)).toISOString()).toBe(
      '2025-02-28T06:00:00.000Z',
    );
  });
});

describe('postWarrantyRetention', () => {
  const from = at('2025-01-01T00:00:00Z');
  const to = at('2025-07-01T00:00:00Z');
  const asOf = at('2026-04-01T00:00:00Z');
  const m = (
    serial: string,
    ended: string,
    visit: string | null,
    left: string | null = null,
  ): WarrantyEnd => ({
    serialNumber: serial,
    endedAtMs: at(ended),
    firstLabourVisitMs: visit === null ? null : at(visit),
    leftAtMs: left === null ? null : at(left),
  });

  it('counts decided machines: returned within 12 months ÷ returned + lapsed; sold/relocated and open windows apart', () => {
    const machines = [
      m('r1', '2025-01-10T00:00:00Z', '2025-05-01T00:00:00Z'), // retained
      m('r2', '2025-02-01T00:00:00Z', '2026-01-31T23:59:59Z'), // retained, just inside 12 months
      m('l1', '2025-02-01T00:00:00Z', '2026-02-01T00:00:00Z'), // visit at the 12-month mark: too late → lapsed
      m('l2', '2025-03-01T00:00:00Z', null), // window closed 2026-03-01, no visit → lapsed
      m('x1', '2025-03-01T00:00:00Z', null, '2025-06-01T00:00:00Z'), // sold before a visit → excluded
      m('r3', '2025-03-01T00:00:00Z', '2025-04-01T00:00:00Z', '2025-06-01T00:00:00Z'), // came back, then sold → retained
      m('p1', '2025-06-15T00:00:00Z', null), // window open until 2026-06-15, no visit yet → pending
      // back after 10 days, but its window is open until 2026-06-10: pending too, or an early return would be
      // counted while the machines that will not return are still pending
      m('p2', '2025-06-10T00:00:00Z', '2025-06-20T00:00:00Z'),
      m('o1', '2024-12-31T23:59:59Z', '2025-01-05T00:00:00Z'), // ended before the period → ignored
      m('o2', '2025-07-01T00:00:00Z', null), // ended at `to` (exclusive) → ignored
    ];
    expect(postWarrantyRetention(machines, from, to, asOf)).toEqual({
      value: 0.6,
      numerator: 3,
      denominator: 5,
      formula: expect.any(String),
      missing: null,
      excluded: 1,
      pending: 2,
      returnedSoFar: 1,
    });
  });

  it('is null, saying why, when no window has closed yet (even if some machines are back already)', () => {
    const r = postWarrantyRetention(
      [m('p1', '2025-06-15T00:00:00Z', null), m('p2', '2025-06-10T00:00:00Z', '2025-06-20T00:00:00Z')],
      from,
      to,
      at('2025-07-01T00:00:00Z'),
    );
    expect(r).toMatchObject({ value: null, numerator: 0, denominator: 0, pending: 2, returnedSoFar: 1 });
    expect(r.missing).toBe(
      'no machine whose warranty ended in the period has completed its 12 months yet (2 pending, 1 of them back so far; a period ending 12 months ago or earlier is complete)',
    );
    expect(postWarrantyRetention([], from, to, asOf).missing).toBe(
      'no machine’s warranty ended in the period',
    );
  });

  it('ignores a visit after asOf and an end after asOf (no peeking into the future)', () => {
    const r = postWarrantyRetention(
      [m('a', '2025-01-10T00:00:00Z', '2025-03-01T00:00:00Z'), m('b', '2025-06-10T00:00:00Z', null)],
      from,
      to,
      at('2025-02-01T00:00:00Z'),
    );
    expect(r).toMatchObject({ value: null, numerator: 0, denominator: 0, pending: 1, excluded: 0 });
  });
});

describe('captureRate', () => {
  it('is revenue ÷ (hours × benchmark)', () => {
    expect(captureRate(12_000, 800, 25)).toEqual({
      value: 0.6,
      numerator: 12_000,
      denominator: 20_000,
      formula: expect.any(String),
      missing: null,
    });
  });
  it('is null without a benchmark, still showing the revenue', () => {
    expect(captureRate(12_000, 800, null)).toEqual({
      value: null,
      numerator: 12_000,
      denominator: null,
      formula: expect.any(String),
      missing:
        'no revenue-per-hour benchmark is configured for the dealer (DEALER_ECONOMICS), so the expected revenue is unknown',
    });
    expect(captureRate(100, 0, 25)).toMatchObject({
      value: null,
      missing: 'no engine hours were reported in the period',
    });
  });
});

describe('absorptionRate', () => {
  const rates = { parts: 0.25, labour: 0.6 };
  const reportedOnly = { reported: 45_000, linesWithout: 0, partsRevenueWithout: 0, labourRevenueWithout: 0 };

  it('is gross profit ÷ fixed expenses, null when they are not configured', () => {
    expect(absorptionRate(reportedOnly, rates, 60_000)).toMatchObject({
      value: 0.75,
      numerator: 45_000,
      denominator: 60_000,
      missing: null,
      linesWithoutGrossProfit: 0,
      linesEstimated: 0,
      estimatedGrossProfit: 0,
    });
    expect(absorptionRate(reportedOnly, rates, null)).toMatchObject({
      value: null,
      numerator: 45_000,
      denominator: null,
      missing: 'no fixed operating expenses are configured for the dealer (DEALER_ECONOMICS)',
    });
    // Every line carries its gross profit: no rates are needed.
    expect(absorptionRate(reportedOnly, null, 60_000)).toMatchObject({ value: 0.75, missing: null });
  });

  it('prices a line without a gross profit at the margin rates, never at 0', () => {
    // 3 lines without one: 10 000 of parts (25 %) and 20 000 of labour (60 %) = 2 500 + 12 000 = 14 500.
    const gp = {
      reported: 45_000,
      linesWithout: 3,
      partsRevenueWithout: 10_000,
      labourRevenueWithout: 20_000,
    };
    expect(absorptionRate(gp, rates, 60_000)).toEqual({
      value: 0.991667, // 59 500 ÷ 60 000
      numerator: 59_500,
      denominator: 60_000,
      formula:
        '(parts + service gross profit; a line without one at the configured margin rates) ÷ fixed operating expenses',
      missing: null,
      linesWithoutGrossProfit: 3,
      linesEstimated: 3,
      estimatedGrossProfit: 14_500,
    });
    // A DMS that never sends grossProfit: the whole numerator is estimated.
    const none = { reported: 0, linesWithout: 2, partsRevenueWithout: 0.1, labourRevenueWithout: 0.2 };
    expect(absorptionRate(none, rates, 1)).toMatchObject({
      value: 0.145,
      numerator: 0.145,
      estimatedGrossProfit: 0.145,
    });
  });

  it('is unknown, not 0, when lines lack a gross profit and no margin rates are configured', () => {
    const gp = { reported: 0, linesWithout: 4, partsRevenueWithout: 10_000, labourRevenueWithout: 20_000 };
    expect(absorptionRate(gp, null, 30_000)).toMatchObject({
      value: null,
      numerator: null,
      denominator: 30_000,
      missing:
        '4 line(s) of the period carry no gross profit and no margin rates are configured to estimate it',
      linesWithoutGrossProfit: 4,
      linesEstimated: 0,
      estimatedGrossProfit: null,
    });
  });
});

describe('netRevenueRetention', () => {
  it("is this period's revenue of last period's customers ÷ their last-period revenue; new customers left out", () => {
    const r = netRevenueRetention([
      { customerId: 'a', prior: 1000, current: 1200 },
      { customerId: 'b', prior: 500, current: 0 }, // churned
      { customerId: 'c', prior: 0, current: 900 }, // new: not in NRR
      { customerId: 'd', prior: 500, current: 400 },
    ]);
    // (1200 + 0 + 400) / (1000 + 500 + 500) = 1600 / 2000
    expect(r).toEqual({
      value: 0.8,
      numerator: 1600,
      denominator: 2000,
      formula: expect.any(String),
      missing: null,
    });
  });
  it('is null when nobody bought in the prior period', () => {
    expect(netRevenueRetention([{ customerId: 'c', prior: 0, current: 900 }])).toMatchObject({
      value: null,
      missing: 'no customer bought in the prior period',
    });
  });
});

describe('earnedGrowthRate', () => {
  it('is NRR + earned new share − 100 %', () => {
    expect(earnedGrowthRate(0.8, 0.25).value).toBe(0.05);
    expect(earnedGrowthRate(1.1, 0).value).toBe(0.1);
  });
  it('is null when either part is unknown', () => {
    expect(earnedGrowthRate(null, 0.2)).toMatchObject({
      value: null,
      missing: 'net revenue retention is unknown',
    });
    expect(earnedGrowthRate(0.8, null).value).toBeNull();
    expect(earnedGrowthRate(0.8, null).missing).toContain('earned new customers');
  });
});

describe('netPromoterScore', () => {
  it('is (promoters − detractors) ÷ responses × 100', () => {
    // promoters 10, 9, 9; passives 8, 7; detractors 6, 0 → (3 − 2) / 7 × 100
    expect(netPromoterScore([10, 9, 9, 8, 7, 6, 0])).toEqual({
      value: 14.285714,
      numerator: 1,
      denominator: 7,
      formula: expect.any(String),
      missing: null,
      promoters: 3,
      passives: 2,
      detractors: 2,
    });
    expect(netPromoterScore([0, 3]).value).toBe(-100);
    expect(netPromoterScore([]).value).toBeNull();
  });
});
