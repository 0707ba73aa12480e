import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { SubscriptionInput } from './core/subscription-input';

/** Stores a webhook subscription (secret as given: it signs every payload); returns its id. */
export async function addSubscription(ds: DataSource, s: SubscriptionInput): Promise<string> {
  const subscriptionId = `sub_${randomBytes(8).toString('hex')}`;
  await ds.query(
    `INSERT INTO alert_subscriptions (dealer_id, subscription_id, url, secret, reason_codes, min_priority)
     VALUES ($1, $2, $3, $4, $5::text[], $6)`,
    [s.dealerId, subscriptionId, s.url, s.secret, s.reasonCodes, s.minPriority],
  );
  return subscriptionId;
}
