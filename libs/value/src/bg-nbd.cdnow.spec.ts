import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  bgNbdLogLikelihood,
  expectedTransactions,
  fitBgNbd,
  pAlive,
  type BgNbdFit,
  type Rfm,
} from '@rp/value';

// Fader, Hardie & Lee (2005), CDNOW 1/10th sample, time in weeks: published MLE and log-likelihood.
const PUBLISHED = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
const PUBLISHED_LL = -9582.4;
const CSV = path.resolve(__dirname, '../../../tests/fixtures/cdnow/cdnow_customers_summary.csv');

type Row = Rfm & { id: number };

function readCdnow(): Row[] {
  const [header, ...lines] = readFileSync(CSV, 'utf8').trim().split(/\r?\n/);
  expect(header).toBe('ID,frequency,recency,T');
  return lines.map((line) => {
    const [id, x, tx, T] = line.split(',').map(Number);
    return { id, x, tx, T };
  });
}

// Written out independently of the lib: the PRODUCT.md closed form, with plain powers.
function pAliveClosedForm(p: typeof PUBLISHED, { x, tx, T }: Rfm): number {
  if (x === 0) return 1;
  return 1 / (1 + (p.a / (p.b + x - 1)) * Math.pow((p.alpha + T) / (p.alpha + tx), p.r + x));
}

describe('BG/NBD on CDNOW', () => {
  const rows = readCdnow();
  let fit: BgNbdFit;
  beforeAll(() => {
    fit = fitBgNbd(rows);
  });

  it('reads the whole data set (2,357 customers)', () => {
    expect(rows).toHaveLength(2357);
  });

  it.each(Object.keys(PUBLISHED) as (keyof typeof PUBLISHED)[])(
    'reproduces the published %s within 1%%',
    (k) => {
      expect(Math.abs(fit[k] / PUBLISHED[k] - 1)).toBeLessThan(0.01);
    },
  );

  it('reaches the published log-likelihood and converges', () => {
    expect(fit.logLikelihood).toBeCloseTo(PUBLISHED_LL, 0);
    expect(fit.converged).toBe(true);
    // The fitted point is at least as good as the (rounded) published one.
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(bgNbdLogLikelihood(PUBLISHED, rows));
  });

  it('does not depend on the order of the customers', () => {
    const reversed = fitBgNbd([...rows].reverse());
    expect(reversed).toEqual(fit);
  });

  it.each([1, 2, 18, 1516, 2357])('P(alive) of customer %i matches the closed form', (id) => {
    const row = rows.find((c) => c.id === id)!;
    expect(pAlive(PUBLISHED, row)).toBeCloseTo(pAliveClosedForm(PUBLISHED, row), 12);
    expect(pAlive(fit, row)).toBeCloseTo(pAliveClosedForm(PUBLISHED, row), 3);
  });

  it('P(alive) of customer 1 (x=2, t_x=30.43, T=38.86) is 0.7266', () => {
    expect(pAliveClosedForm(PUBLISHED, rows[0])).toBeCloseTo(0.7266, 4);
    expect(pAlive(PUBLISHED, rows[0])).toBeCloseTo(0.7266, 4);
  });

  it('P(alive) is 1 for a customer without repeat purchases', () => {
    expect(pAlive(PUBLISHED, { x: 0, tx: 0, T: 38.86 })).toBe(1);
  });

  it('expects 1.226 purchases in the next 39 weeks for customer 1 (FHL 2005 worked example)', () => {
    expect(expectedTransactions(PUBLISHED, 39, rows[0])).toBeCloseTo(1.226, 3);
    expect(expectedTransactions(PUBLISHED, 0, rows[0])).toBe(0);
  });
});
