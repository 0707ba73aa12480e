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
  it('is gross profit ÷ fixed expenses, null when they are not configured', () => {
    expect(absorptionRate(45_000, 60_000)).toMatchObject({
      value: 0.75,
      numerator: 45_000,
      denominator: 60_000,
    });
    expect(absorptionRate(45_000, null)).toMatchObject({
      value: null,
      numerator: 45_000,
      denominator: null,
      missing: 'no fixed operating expenses are configured for the dealer (DEALER_ECONOMICS)',
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
