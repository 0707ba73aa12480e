// As-of views cut lists at an instant, many times per machine in a sweep. A prefix remembers the list it
// was cut from, so what is computed once per list (sortedness, the meter's running maxima) serves all of
// its prefixes instead of being recomputed for each new copy. Lists in states are never mutated.

const roots = new WeakMap<readonly unknown[], readonly unknown[]>();

/** The first `n` items of `items`, as a new array that knows the list it was cut from. */
export function prefix<T>(items: readonly T[], n: number): T[] {
  const out = items.slice(0, n);
  roots.set(out, rootOf(items));
  return out;
}

/** The list `items` was cut from by `prefix` (through any number of cuts), else `items` itself. */
export const rootOf = <T>(items: readonly T[]): readonly T[] =>
  (roots.get(items) as readonly T[] | undefined) ?? items;
