// As-of views cut lists at an instant, many times per machine in a sweep. A prefix remembers the list it
// was cut from, so what is computed once per list (sortedness, the meter's running maxima) serves all of
// its prefixes instead of being recomputed for each new copy. Lists in states are never mutated.

const roots = new WeakMap<readonly unknown[], readonly unknown[]>();

/** The last prefix cut of each list: cut again at the same length, it is the same array. */
const lastCut = new WeakMap<readonly unknown[], readonly unknown[]>();

/**
 * The first `n` items of `items`, as an array that knows the list it was cut from: `items` itself when that is
 * all of it, and the same array as the previous cut of the same length (a customer's purchases, cut at every
 * instant of a sweep, change a few times a year): what is memoised per list (by identity) then serves again.
 */
export function prefix<T>(items: readonly T[], n: number): T[] {
  if (n >= items.length) return items as T[];
  const last = lastCut.get(items);
  if (last !== undefined && last.length === n) return last as T[];
  const out = items.slice(0, n);
  roots.set(out, rootOf(items));
  lastCut.set(items, out);
  return out;
}

/** The list `items` was cut from by `prefix` (through any number of cuts), else `items` itself. */
export const rootOf = <T>(items: readonly T[]): readonly T[] =>
  (roots.get(items) as readonly T[] | undefined) ?? items;
