/**
 * What an HTTP answer means for a delivery: 2xx accepted; 408, 429 and 5xx worth retrying; anything
 * else (redirects, other 4xx) is the receiver refusing this payload, which a retry will not change.
 */
export type DeliveryOutcome = 'delivered' | 'retry' | 'rejected';

export function classifyStatus(status: number): DeliveryOutcome {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 408 || status === 429 || status >= 500) return 'retry';
  return 'rejected';
}
