import type { BgNbdParams } from './bg-nbd';
import { DAY_MS, type Purchase } from './summarise';

/** Deterministic PRNG (mulberry32) so simulated histories are identical on every run. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Gamma(shape, 1) by Marsaglia–Tsang, boosted for shape < 1. */
function gamma(rand: () => number, shape: number): number {
  if (shape < 1) return gamma(rand, shape + 1) * Math.pow(1 - rand(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = normal(rand);
    const v = (1 + c * z) ** 3;
    if (v > 0 && Math.log(1 - rand()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * Purchase histories drawn from the BG/NBD process (rates per week): λ ~ Gamma(r, α), p ~ Beta(a, b);
 * first purchase uniformly in the first 12 weeks, Poisson(λ) repeats, dropout with probability p after each.
 */
export function simulateBgNbd(
  params: BgNbdParams,
  customers: number,
  asOfMs: number,
  seed: number,
): Purchase[] {
  const rand = seededRandom(seed);
  const weekMs = 7 * DAY_MS;
  const start = asOfMs - 52 * weekMs;
  const purchases: Purchase[] = [];
  for (let i = 0; i < customers; i++) {
    const customerId = `c${String(i).padStart(5, '0')}`;
    const lambda = gamma(rand, params.r) / params.alpha;
    const ga = gamma(rand, params.a);
    const p = ga / (ga + gamma(rand, params.b));
    let at = start + rand() * 12 * weekMs;
    purchases.push({ customerId, at: Math.round(at) });
    for (;;) {
      at += (-Math.log(1 - rand()) / lambda) * weekMs;
      if (at > asOfMs) break;
      purchases.push({ customerId, at: Math.round(at) });
      if (rand() < p) break;
    }
  }
  return purchases;
}
