import { rootOf } from './prefix';

// A customer is evaluated at every day of a sweep, and each evaluation of SPEND_EROSION sums the same month
// windows of the same lists again (revenue and fleet hours of the last months and a year earlier, for the
// episode's start up to 12 months back): a full scan of years of daily fleet hours per window. Sums are kept
// per list and window. Lists in states are never mutated, so a sum, once computed, stays right.

const sums = new WeakMap<readonly unknown[], Map<string, number>>();
const sortedByAt = new WeakMap<readonly unknown[], boolean>();

function isSortedByAt(items: readonly { at: number }[]): boolean {
  let sorted = sortedByAt.get(items);
  if (sorted === undefined) {
    sorted = items.every((item, i) => i === 0 || items[i - 1].at <= item.at);
    sortedByAt.set(items, sorted);
  }
  return sorted;
}

/**
 * The list whose sum over [from, to) equals `items`' with the same terms in the same order: the list `items`
 * was cut from (an as-of view, a new array every day) when the items it has beyond the cut all lie at or
 * after `to` — then every day's view of a past window shares one sum. Else `items` itself.
 */
function sharedListFor<T extends { at: number }>(items: readonly T[], to: number): readonly T[] {
  const root = rootOf(items);
  if (root === items || !isSortedByAt(root)) return items;
  return items.length >= root.length || root[items.length].at >= to ? root : items;
}

/**
 * Sum of `value(item)` over the items with `from <= at < to`, added in list order (the same floating-point
 * result as a plain loop over `items`). `kind` names what `value` reads, so two sums over one list differ.
 */
export function sumBetween<T extends { at: number }>(
  items: readonly T[],
  from: number,
  to: number,
  kind: string,
  value: (item: T) => number,
): number {
  const list = sharedListFor(items, to);
  let byWindow = sums.get(list);
  if (byWindow === undefined) sums.set(list, (byWindow = new Map<string, number>()));
  const key = `${kind}|${from}|${to}`;
  let sum = byWindow.get(key);
  if (sum === undefined) {
    sum = 0;
    for (const item of list) if (item.at >= from && item.at < to) sum += value(item);
    byWindow.set(key, sum);
  }
  return sum;
}
