// Module-level aliases: global lookups are slow inside Jest's vm contexts, and these sit in hot loops.
const { log, sin, abs, PI } = Math;

// Lanczos approximation (g = 7, n = 9), accurate to ~15 significant digits for x > 0.
const G = 7;
const COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_TWO_PI = 0.5 * log(2 * PI);

/** ln Γ(x) for x > 0 (reflection formula below 0.5); NaN for x ≤ 0. */
export function lnGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x < 0.5) return log(PI / sin(PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let sum = COEFFICIENTS[0];
  for (let i = 1; i < COEFFICIENTS.length; i++) sum += COEFFICIENTS[i] / (z + i);
  const t = z + G + 0.5;
  return HALF_LOG_TWO_PI + (z + 0.5) * log(t) - t + log(sum);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function lnBeta(a: number, b: number): number {
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}

/**
 * Gauss hypergeometric ₂F₁(a, b; c; z) by its power series, for 0 ≤ z < 1 and c > 0.
 * The series converges geometrically in z; callers here keep z well below 1.
 */
export function hyp2f1(a: number, b: number, c: number, z: number, maxTerms = 100_000): number {
  if (!(z >= 0 && z < 1) || !(c > 0)) return Number.NaN;
  let term = 1;
  let sum = 1;
  for (let n = 0; n < maxTerms; n++) {
    term *= ((a + n) * (b + n) * z) / ((c + n) * (n + 1));
    sum += term;
    if (abs(term) <= 1e-15 * abs(sum)) return sum;
  }
  return sum;
}
