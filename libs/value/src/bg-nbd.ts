import { hyp2f1, lnGamma } from './gamma';
import { nelderMead } from './nelder-mead';

// Module-level aliases: global lookups are slow inside Jest's vm contexts, and these sit in hot loops.
const { log, exp, max, pow } = Math;

/** BG/NBD parameters: purchase rate λ ~ Gamma(r, α), dropout probability p ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** One customer in RFM form: x repeat purchases, last at t_x, observed for T (same time unit throughout). */
export interface Rfm {
  x: number;
  tx: number;
  T: number;
}

export interface BgNbdFit extends BgNbdParams {
  logLikelihood: number;
  iterations: number;
  converged: boolean;
}

export interface FitBgNbdOptions {
  /** Starting points; the default is a fixed, data-scaled set, so the fit is deterministic. */
  starts?: BgNbdParams[];
  /** Nelder–Mead iterations per run (default 5000). */
  maxIterations?: number;
}

type Group = { x: number; tx: number; T: number; weight: number };

/** Collapse identical (x, t_x, T) rows and sort them, so the fit does not depend on input order. */
function groupCustomers(customers: readonly Rfm[]): Group[] {
  const groups = new Map<string, Group>();
  for (const { x, tx, T } of customers) {
    if (!Number.isInteger(x) || x < 0 || !(T >= 0) || !(tx >= 0) || tx > T) {
      throw new RangeError(`invalid RFM row: x=${x} tx=${tx} T=${T}`);
    }
    const t = x === 0 ? 0 : tx;
    const key = `${x}|${t}|${T}`;
    const group = groups.get(key);
    if (group) group.weight += 1;
    else groups.set(key, { x, tx: t, T, weight: 1 });
  }
  return [...groups.values()].sort((p, q) => p.x - q.x || p.tx - q.tx || p.T - q.T);
}

/** Total BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6 in log form). */
function logLikelihood({ r, alpha, a, b }: BgNbdParams, groups: readonly Group[]): number {
  const byX = new Map<number, { base: number; lnRatio: number }>();
  const common = r * log(alpha) - lnGamma(r) + lnGamma(a + b) - lnGamma(b);
  let total = 0;
  for (const { x, tx, T, weight } of groups) {
    let perX = byX.get(x);
    if (!perX) {
      const base = common + lnGamma(r + x) + lnGamma(b + x) - lnGamma(a + b + x);
      perX = { base, lnRatio: x > 0 ? log(a) - log(b + x - 1) : Number.NaN };
      byX.set(x, perX);
    }
    const open = -(r + x) * log(alpha + T);
    let ll = perX.base + open;
    if (x > 0) {
      const dropped = perX.lnRatio - (r + x) * log(alpha + tx);
      const hi = max(open, dropped);
      ll = perX.base + hi + log(exp(open - hi) + exp(dropped - hi));
    }
    total += weight * ll;
  }
  return total;
}

function defaultStarts(groups: readonly Group[]): BgNbdParams[] {
  let purchases = 0;
  let exposure = 0;
  for (const g of groups) {
    purchases += g.x * g.weight;
    exposure += g.T * g.weight;
  }
  const rate = max(purchases, 1) / exposure;
  return [
    { r: 1, alpha: 1, a: 1, b: 1 },
    { r: 1, alpha: 1 / rate, a: 1, b: 1 },
    { r: 0.25, alpha: 0.25 / rate, a: 0.5, b: 2 },
    { r: 2, alpha: 2 / rate, a: 2, b: 5 },
  ];
}

const toLog = (p: BgNbdParams): number[] => [p.r, p.alpha, p.a, p.b].map(log);
const fromLog = ([r, alpha, a, b]: number[]): BgNbdParams => ({
  r: exp(r),
  alpha: exp(alpha),
  a: exp(a),
  b: exp(b),
});

/** Maximum-likelihood BG/NBD fit: Nelder–Mead in log-parameter space from several fixed starts, restarted until stable. */
export function fitBgNbd(customers: readonly Rfm[], opts: FitBgNbdOptions = {}): BgNbdFit {
  const groups = groupCustomers(customers);
  if (groups.length === 0) throw new RangeError('fitBgNbd needs at least one customer');
  const negLl = (logParams: number[]): number => -logLikelihood(fromLog(logParams), groups);
  let best: { x: number[]; fx: number; converged: boolean } | undefined;
  let iterations = 0;
  for (const start of opts.starts ?? defaultStarts(groups)) {
    let run = nelderMead(negLl, toLog(start), { maxIterations: opts.maxIterations });
    iterations += run.iterations;
    // Restarting from the optimum rebuilds a collapsed simplex; stop once a restart gains nothing.
    for (let restart = 0; restart < 10; restart++) {
      const again = nelderMead(negLl, run.x, { maxIterations: opts.maxIterations, step: 0.1 });
      iterations += again.iterations;
      const gained = run.fx - again.fx;
      run = again.fx <= run.fx ? again : run;
      if (!(gained > 1e-9)) break;
    }
    if (!best || run.fx < best.fx) best = run;
  }
  if (!best || !Number.isFinite(best.fx))
    throw new RangeError('fitBgNbd: likelihood not finite at any start');
  return { ...fromLog(best.x), logLikelihood: -best.fx, iterations, converged: best.converged };
}

/** ln of a/(b+x−1) · ((α+T)/(α+t_x))^(r+x): the odds that a customer with x > 0 has dropped out. */
function lnDropoutOdds({ r, alpha, a, b }: BgNbdParams, { x, tx, T }: Rfm): number {
  return log(a) - log(b + x - 1) + (r + x) * (log(alpha + T) - log(alpha + tx));
}

/** P(alive | x, t_x, T); 1 for x = 0 (a customer who never repurchased has had no chance to drop out). */
export function pAlive(params: BgNbdParams, customer: Rfm): number {
  if (customer.x === 0) return 1;
  return 1 / (1 + exp(lnDropoutOdds(params, customer)));
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t time units (FHL 2005, eq. 10). Requires a ≠ 1. */
export function expectedTransactions(params: BgNbdParams, t: number, customer: Rfm): number {
  const { r, alpha, a, b } = params;
  const { x, T } = customer;
  if (t <= 0) return 0;
  const z = t / (alpha + T + t);
  const f = hyp2f1(r + x, b + x, a + b + x - 1, z);
  const head = ((a + b + x - 1) / (a - 1)) * (1 - pow((alpha + T) / (alpha + T + t), r + x) * f);
  const odds = x > 0 ? exp(lnDropoutOdds(params, customer)) : 0;
  return head / (1 + odds);
}

/** Exposed for tests and diagnostics: the total log-likelihood of params on customers. */
export function bgNbdLogLikelihood(params: BgNbdParams, customers: readonly Rfm[]): number {
  return logLikelihood(params, groupCustomers(customers));
}
