import type { AppConfig } from '@rp/config';

/**
 * The dealer's reporting currency of value at risk and CLV (DEALER_ECONOMICS, the dealer's entry or else "*");
 * null when not configured.
 */
export function dealerCurrency(config: AppConfig, dealerId: string): string | null {
  const e = config.dealerEconomics[dealerId] ?? config.dealerEconomics['*'];
  return e?.currency ?? null;
}
