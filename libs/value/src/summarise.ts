import type { Rfm } from './bg-nbd';

export type TimeUnit = 'week' | 'day';

export const DAY_MS = 86_400_000;
export const UNIT_MS: Readonly<Record<TimeUnit, number>> = Object.freeze({ day: DAY_MS, week: 7 * DAY_MS });

export interface Purchase {
  customerId: string;
  /** Epoch ms. */
  at: number;
}

export interface CustomerRfm extends Rfm {
  customerId: string;
}

/**
 * Per-customer RFM summary as of `asOfMs`, in `unit`s, sorted by customerId.
 * Purchases are counted once per UTC calendar day, at that day's earliest purchase; x = distinct days − 1,
 * t_x = last such purchase − first purchase, T = asOf − first purchase. Purchases after asOf are ignored
 * (the summary must be reproducible for a past asOf), and customers with none before it are omitted.
 */
export function summarisePurchases(
  purchases: readonly Purchase[],
  asOfMs: number,
  unit: TimeUnit = 'week',
): CustomerRfm[] {
  const unitMs = UNIT_MS[unit];
  // customerId -> UTC day index -> earliest purchase that day
  const days = new Map<string, Map<number, number>>();
  for (const { customerId, at } of purchases) {
    if (!Number.isFinite(at)) throw new RangeError(`purchase for ${customerId} has a non-finite time`);
    if (at > asOfMs) continue;
    let perDay = days.get(customerId);
    if (!perDay) days.set(customerId, (perDay = new Map<number, number>()));
    const day = Math.floor(at / DAY_MS);
    const seen = perDay.get(day);
    if (seen === undefined || at < seen) perDay.set(day, at);
  }
  const out: CustomerRfm[] = [];
  for (const [customerId, perDay] of days) {
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const at of perDay.values()) {
      first = Math.min(first, at);
      last = Math.max(last, at);
    }
    out.push({ customerId, x: perDay.size - 1, tx: (last - first) / unitMs, T: (asOfMs - first) / unitMs });
  }
  return out.sort((p, q) => (p.customerId < q.customerId ? -1 : p.customerId > q.customerId ? 1 : 0));
}
