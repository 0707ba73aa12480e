import { nelderMead } from './nelder-mead';

describe('nelderMead', () => {
  it('finds the Rosenbrock minimum at (1, 1)', () => {
    const rosenbrock = ([x, y]: number[]): number => (1 - x) ** 2 + 100 * (y - x * x) ** 2;
    const result = nelderMead(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 4);
    expect(result.x[1]).toBeCloseTo(1, 4);
    expect(result.fx).toBeLessThan(1e-8);
  });

  it('treats non-finite values as +∞ and stays in the finite region', () => {
    const f = ([x]: number[]): number => (x < 0 ? Number.NaN : (x - 2) ** 2);
    const result = nelderMead(f, [0.5]);
    expect(result.x[0]).toBeCloseTo(2, 5);
  });

  it('reports non-convergence when out of iterations', () => {
    const result = nelderMead(([x, y]) => x * x + y * y, [5, 5], { maxIterations: 3 });
    expect(result.converged).toBe(false);
    expect(result.iterations).toBe(3);
  });
});
