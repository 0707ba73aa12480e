import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { WebhookUrlPolicy } from '@rp/config';
import type { SubscriptionInput } from './core/subscription-input';
import { assertWebhookUrl } from './core/webhook-url';

/**
 * Stores a webhook subscription (secret as given: it signs every payload); returns its id. The URL is
 * checked against the policy here too, so no caller can store a target the policy refuses.
 */
export async function addSubscription(
  ds: DataSource,
  s: SubscriptionInput,
  policy: WebhookUrlPolicy,
): Promise<string> {
  assertWebhookUrl(s.url, policy);
  const subscriptionId = `sub_${randomBytes(8).toString('hex')}`;
  await ds.query(
    `INSERT INTO alert_subscriptions (dealer_id, subscription_id, url, secret, reason_codes, min_priority, alert_types)
     VALUES ($1, $2, $3, $4, $5::text[], $6, $7::text[])`,
    [s.dealerId, subscriptionId, s.url, s.secret, s.reasonCodes, s.minPriority, s.alertTypes],
  );
  return subscriptionId;
}
