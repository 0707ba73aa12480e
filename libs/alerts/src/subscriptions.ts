import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { WebhookUrlPolicy } from '@rp/config';
import type { SubscriptionInput } from './core/subscription-input';
import { assertWebhookUrl } from './core/webhook-url';

/** A refused subscription change (duplicate, unknown id): the message names the problem. */
export class SubscriptionAdminError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubscriptionAdminError';
  }
}

/** A new signing secret: 32 random bytes, base64url, prefixed (shown once by the CLI). */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

/** What `webhooks list` shows of a subscription: never its secret, and of its URL only the host. */
export interface SubscriptionListing {
  subscriptionId: string;
  dealerId: string;
  host: string;
  reasonCodes: string[] | null;
  minPriority: number;
  alertTypes: string[];
  active: boolean;
  createdAt: Date;
}

const UNIQUE_VIOLATION = '23505';
const ACTIVE_URL_INDEX = 'alert_subscriptions_active_url_key';

const duplicate = (dealerId: string, existing: string) =>
  new SubscriptionAdminError(
    `--url: dealer ${dealerId} already has active subscription ${existing} for this URL ` +
      `(webhooks rotate ${existing} --dealer ${dealerId} gives it a new secret; webhooks disable turns it off)`,
  );

/**
 * Stores a webhook subscription (secret as given: it signs every payload); returns its id. The URL is
 * checked against the policy here too, so no caller can store a target the policy refuses. A second
 * active subscription of the dealer to the same URL is refused, naming the first.
 */
export async function addSubscription(
  ds: DataSource,
  s: SubscriptionInput,
  policy: WebhookUrlPolicy,
): Promise<string> {
  assertWebhookUrl(s.url, policy);
  const existing = async () =>
    (
      await ds.query<{ id: string }[]>(
        `SELECT subscription_id AS id FROM alert_subscriptions WHERE dealer_id = $1 AND url = $2 AND active`,
        [s.dealerId, s.url],
      )
    )[0]?.id;
  const before = await existing();
  if (before) throw duplicate(s.dealerId, before);
  const subscriptionId = `sub_${randomBytes(8).toString('hex')}`;
  try {
    await ds.query(
      `INSERT INTO alert_subscriptions (dealer_id, subscription_id, url, secret, reason_codes, min_priority, alert_types)
       VALUES ($1, $2, $3, $4, $5::text[], $6, $7::text[])`,
      [s.dealerId, subscriptionId, s.url, s.secret, s.reasonCodes, s.minPriority, s.alertTypes],
    );
  } catch (err) {
    const e = err as { code?: string; constraint?: string };
    if (e.code === UNIQUE_VIOLATION && e.constraint === ACTIVE_URL_INDEX) {
      throw duplicate(s.dealerId, (await existing()) ?? '(added concurrently)');
    }
    throw err;
  }
  return subscriptionId;
}

/** Every subscription (or one dealer's), oldest first; the URL reduced to its host. */
export async function listSubscriptions(ds: DataSource, dealerId?: string): Promise<SubscriptionListing[]> {
  const rows = await ds.query<
    {
      subscription_id: string;
      dealer_id: string;
      url: string;
      reason_codes: string[] | null;
      min_priority: string;
      alert_types: string[];
      active: boolean;
      created_at: Date;
    }[]
  >(
    `SELECT subscription_id, dealer_id, url, reason_codes, min_priority, alert_types, active, created_at
       FROM alert_subscriptions WHERE ($1::text IS NULL OR dealer_id = $1)
      ORDER BY created_at, dealer_id, subscription_id`,
    [dealerId ?? null],
  );
  return rows.map((r) => ({
    subscriptionId: r.subscription_id,
    dealerId: r.dealer_id,
    host: hostOf(r.url),
    reasonCodes: r.reason_codes,
    minPriority: Number(r.min_priority),
    alertTypes: r.alert_types,
    active: r.active,
    createdAt: r.created_at,
  }));
}

const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
};

const notFound = (dealerId: string, id: string) =>
  new SubscriptionAdminError(
    `no subscription ${id} for dealer ${dealerId} (see webhooks list --dealer ${dealerId})`,
  );

/**
 * Turns a subscription off: the fan-out stops matching it, and its pending deliveries (queued or waiting
 * for a retry) end `cancelled` when their job runs. Returns false when it was already off.
 */
export async function disableSubscription(ds: DataSource, dealerId: string, id: string): Promise<boolean> {
  const [rows] = await ds.query<[{ was: boolean }[], number]>(
    `UPDATE alert_subscriptions s SET active = false
       FROM alert_subscriptions old
      WHERE s.dealer_id = $1 AND s.subscription_id = $2
        AND old.dealer_id = s.dealer_id AND old.subscription_id = s.subscription_id
      RETURNING old.active AS was`,
    [dealerId, id],
  );
  if (rows.length === 0) throw notFound(dealerId, id);
  return rows[0].was;
}

/** Replaces a subscription's signing secret (deliveries from now on are signed with it). */
export async function rotateSubscriptionSecret(
  ds: DataSource,
  dealerId: string,
  id: string,
  secret: string,
): Promise<void> {
  const [, n] = await ds.query<[unknown[], number]>(
    `UPDATE alert_subscriptions SET secret = $3 WHERE dealer_id = $1 AND subscription_id = $2`,
    [dealerId, id, secret],
  );
  if (n === 0) throw notFound(dealerId, id);
}
