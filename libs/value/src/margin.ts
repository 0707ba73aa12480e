export type MarginKind = 'parts' | 'labour';

export interface MarginLine {
  /** Epoch ms of the sale (parts invoice or closed work order). */
  at: number;
  /** Net revenue of the line. */
  amount: number;
  kind: MarginKind;
  /** Gross profit reported by the DMS; used as is when present (it may be negative). */
  grossProfit?: number;
}

/** Configured gross-margin rates (fraction of revenue) used when an event carries no grossProfit. */
export type MarginRates = Readonly<Record<MarginKind, number>>;

/**
 * The configured margin rates (PRODUCT "Value and priority": "event `grossProfit`, else configured margin
 * rates"): parts 25 %, labour 60 %. One source for the value model and the dealer metrics, so a line without
 * a gross profit is worth the same in a customer's CLV and in the absorption rate.
 */
export const DEFAULT_MARGIN_RATES: MarginRates = Object.freeze({ parts: 0.25, labour: 0.6 });

/** UTC instant 12 calendar months before asOfMs (pure date arithmetic, no clock). */
export function twelveMonthsBefore(asOfMs: number): number {
  const d = new Date(asOfMs);
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  return d.getTime();
}

/**
 * Trailing-12-month parts + service gross margin over (asOf − 12 months, asOf]: grossProfit when present,
 * else amount × the rate for the line's kind. A work order with one grossProfit for parts and labour is
 * one line (kind irrelevant); without it, split it into a parts line and a labour line.
 */
export function trailingMargin(
  lines: readonly MarginLine[],
  asOfMs: number,
  marginRates: MarginRates,
): number {
  const from = twelveMonthsBefore(asOfMs);
  let total = 0;
  for (const line of lines) {
    if (line.at <= from || line.at > asOfMs) continue;
    total += line.grossProfit ?? line.amount * marginRates[line.kind];
  }
  return total;
}
