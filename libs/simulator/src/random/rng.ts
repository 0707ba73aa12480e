import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/** Seeded random draws over pure-rand's xoroshiro128+ (mutable, so no allocation per draw). */
export class Rng {
  private constructor(private readonly gen: JumpableRandomGenerator) {}

  static seeded(seed: number): Rng {
    return new Rng(xoroshiro128plus(seed | 0));
  }

  /**
   * An independent stream: the child starts at this stream's position, which then jumps 2^64 draws
   * ahead. Fork from a source used for nothing else, so streams never overlap.
   */
  fork(): Rng {
    const child = this.gen.clone();
    this.gen.jump();
    return new Rng(child);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * uniformFloat64(this.gen);
  }

  /** Uniform integer in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor((hi - lo + 1) * uniformFloat64(this.gen));
  }

  chance(p: number): boolean {
    return uniformFloat64(this.gen) < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(items.length * uniformFloat64(this.gen))];
  }

  /** Index drawn with probability proportional to its weight (weights ≥ 0, sum > 0). */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let x = total * uniformFloat64(this.gen);
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) return i;
    }
    let last = weights.length - 1; // rounding left x at 0: the last positive weight wins
    while (last > 0 && weights[last] <= 0) last--;
    return last;
  }
}
