export interface NelderMeadOptions {
  /** Maximum iterations per run (default 5000). */
  maxIterations?: number;
  /** Stop when the spread of function values across the simplex falls below this (default 1e-10). */
  fTolerance?: number;
  /** ...and the simplex fits in a box of this half-width (default 1e-8). */
  xTolerance?: number;
  /** Initial simplex step along each axis (default 0.5). */
  step?: number;
}

export interface NelderMeadResult {
  x: number[];
  fx: number;
  iterations: number;
  converged: boolean;
}

type Vertex = { x: number[]; fx: number };

/** Deterministic Nelder–Mead minimiser (standard coefficients 1, 2, ½, ½). Non-finite values count as +∞. */
export function nelderMead(
  f: (x: number[]) => number,
  start: readonly number[],
  opts: NelderMeadOptions = {},
): NelderMeadResult {
  const { maxIterations = 5000, fTolerance = 1e-10, xTolerance = 1e-8, step = 0.5 } = opts;
  const n = start.length;
  const evaluate = (x: number[]): Vertex => {
    const fx = f(x);
    return { x, fx: Number.isFinite(fx) ? fx : Number.POSITIVE_INFINITY };
  };
  const simplex: Vertex[] = [evaluate([...start])];
  for (let i = 0; i < n; i++) {
    const x = [...start];
    x[i] += step;
    simplex.push(evaluate(x));
  }
  const along = (from: number[], to: number[], t: number): number[] =>
    from.map((v, i) => v + t * (to[i] - v));

  for (let iteration = 0; iteration < maxIterations; iteration++) {
    simplex.sort((p, q) => p.fx - q.fx);
    const best = simplex[0];
    const worst = simplex[n];
    if (hasConverged(simplex, fTolerance, xTolerance)) {
      return { x: best.x, fx: best.fx, iterations: iteration, converged: true };
    }
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i].x[j] / n;

    const reflected = evaluate(along(centroid, worst.x, -1));
    if (reflected.fx < best.fx) {
      const expanded = evaluate(along(centroid, worst.x, -2));
      simplex[n] = expanded.fx < reflected.fx ? expanded : reflected;
    } else if (reflected.fx < simplex[n - 1].fx) {
      simplex[n] = reflected;
    } else {
      const outside = reflected.fx < worst.fx;
      const contracted = evaluate(along(centroid, worst.x, outside ? -0.5 : 0.5));
      if (contracted.fx < (outside ? reflected.fx : worst.fx)) {
        simplex[n] = contracted;
      } else {
        for (let i = 1; i <= n; i++) simplex[i] = evaluate(along(best.x, simplex[i].x, 0.5));
      }
    }
  }
  simplex.sort((p, q) => p.fx - q.fx);
  return { x: simplex[0].x, fx: simplex[0].fx, iterations: maxIterations, converged: false };
}

function hasConverged(simplex: Vertex[], fTolerance: number, xTolerance: number): boolean {
  const best = simplex[0];
  for (const v of simplex) {
    if (!(Math.abs(v.fx - best.fx) <= fTolerance * (1 + Math.abs(best.fx)))) return false;
    for (let j = 0; j < best.x.length; j++) if (Math.abs(v.x[j] - best.x[j]) > xTolerance) return false;
  }
  return true;
}
