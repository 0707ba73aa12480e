import type { Purchase } from '../model/customer-state';
import { dayIndex } from './time';
import { sumBetween } from './window-sum';

/** Purchase days per list (lists are never mutated; an as-of view reuses its list while no purchase is added). */
const daysOf = new WeakMap<readonly Purchase[], readonly number[]>();

/** Distinct UTC days with a purchase, ascending (a purchase occasion per day, as BG/NBD counts them). */
export function purchaseDays(purchases: readonly Purchase[]): readonly number[] {
  let days = daysOf.get(purchases);
  if (days === undefined) {
    days = [...new Set(purchases.map((p) => dayIndex(p.at)))].sort((a, b) => a - b);
    daysOf.set(purchases, days);
  }
  return days;
}

const amountOf = (p: Purchase): number => p.amount;

/** Sum of purchase amounts in [from, to), in list order. */
export const revenueBetween = (purchases: readonly Purchase[], from: number, to: number): number =>
  sumBetween(purchases, from, to, 'amount', amountOf);

/** The latest purchase in [from, to). */
export function lastPurchaseBetween(
  purchases: readonly Purchase[],
  from: number,
  to: number,
): Purchase | undefined {
  let last: Purchase | undefined;
  for (const p of purchases) if (p.at >= from && p.at < to) last = p;
  return last;
}
