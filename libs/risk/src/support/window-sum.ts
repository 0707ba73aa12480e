import { rootOf } from './prefix';
import { countBefore, isSortedByAt } from './sorted-by-time';

// A customer is evaluated at every day of a sweep, and each evaluation of SPEND_EROSION sums the same month
// windows of the same lists again (revenue and fleet hours of the last months and a year earlier, for the
// episode's start up to 12 months back): a full scan of years of daily fleet hours per window. Sums are kept
// per list and window. Lists in states are never mutated, so a sum, once computed, stays right.

const sums = new WeakMap<readonly unknown[], Map<string, Map<number, Map<number, number>>>>();
/**
 * Sum of `value(item)` over the items with `from <= at < to`, added in list order (the same floating-point
 * result as a plain loop over `items`). `kind` names what `value` reads, so two sums over one list differ.
 *
 * The list summed is the one `items` was cut from (an as-of view, a new array every day) when the items it has
 * beyond the cut all lie at or after `to`: then every day's view of a past window shares one sum. In a list
 * sorted by time, the window's items are one run, found by binary search (a first sum over a state's years of
 * daily fleet hours no longer scans them all).
 */
export function sumBetween<T extends { at: number }>(
  items: readonly T[],
  from: number,
  to: number,
  kind: string,
  value: (item: T) => number,
): number {
  const root = rootOf(items);
  const sorted = isSortedByAt(root); // a prefix of a sorted list is sorted
  const list =
    root !== items && sorted && (items.length >= root.length || root[items.length].at >= to) ? root : items;
  let byKind = sums.get(list);
  if (byKind === undefined) sums.set(list, (byKind = new Map<string, Map<number, Map<number, number>>>()));
  let byFrom = byKind.get(kind);
  if (byFrom === undefined) byKind.set(kind, (byFrom = new Map<number, Map<number, number>>()));
  let byTo = byFrom.get(from);
  if (byTo === undefined) byFrom.set(from, (byTo = new Map<number, number>()));
  let sum = byTo.get(to);
  if (sum === undefined) {
    sum = 0;
    if (sorted) {
      for (let i = countBefore(list, from); i < list.length && list[i].at < to; i++) sum += value(list[i]);
    } else {
      for (const item of list) if (item.at >= from && item.at < to) sum += value(item);
    }
    byTo.set(to, sum);
  }
  return sum;
}

/**
 * Sum of `value(item)` over the items with `at >= from`, in list order (the same floating-point result as a
 * plain loop): only the tail is read when the list is sorted by time. Not kept: a window that ends with the
 * list moves with every day's view.
 */
export function sumFrom<T extends { at: number }>(
  items: readonly T[],
  from: number,
  value: (item: T) => number,
): number {
  let sum = 0;
  if (isSortedByAt(rootOf(items))) {
    for (let i = countBefore(items, from); i < items.length; i++) sum += value(items[i]);
  } else {
    for (const item of items) if (item.at >= from) sum += value(item);
  }
  return sum;
}
