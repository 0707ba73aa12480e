// Lists in states are never mutated: whether one is sorted by time is checked once per list, and a sorted
// list is searched instead of scanned.

/** Lists found sorted by `at` alone (ties allowed). */
const sortedByAt = new WeakMap<readonly unknown[], boolean>();

/** Whether `items` is ascending by `at` (ties allowed): checked once per list. */
export function isSortedByAt(items: readonly { at: number }[]): boolean {
  let sorted = sortedByAt.get(items);
  if (sorted === undefined) {
    sorted = items.every((item, i) => i === 0 || items[i - 1].at <= item.at);
    sortedByAt.set(items, sorted);
  }
  return sorted;
}

/** `items` was already found ascending by `at` (no check now). */
export const knownSortedByAt = (items: readonly unknown[]): boolean => sortedByAt.get(items) === true;

/** How many leading items have `at(item) <= limit`, for items ascending by `at` (binary search). */
export function countUpTo<T>(items: readonly T[], limit: number, at: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (at(items[mid]) <= limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many leading items have `at < limit`, for items ascending by `at` (binary search). */
export function countBefore(items: readonly { at: number }[], limit: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid].at < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
