import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * At most one active webhook subscription per (dealer, URL): a second one delivered every alert twice.
 * `webhooks add` refuses a duplicate naming the existing subscription; this index closes the race between
 * two adds. Duplicates made before it: the oldest stays active, the later ones are deactivated (they remain
 * listed by `webhooks list`, inactive).
 */
export class WebhookSubscriptionUrl1795301400000 implements MigrationInterface {
  name = 'WebhookSubscriptionUrl1795301400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE alert_subscriptions s SET active = false
       WHERE s.active AND EXISTS (
         SELECT 1 FROM alert_subscriptions o
          WHERE o.dealer_id = s.dealer_id AND o.url = s.url AND o.active
            AND (o.created_at, o.subscription_id) < (s.created_at, s.subscription_id))`);
    await q.query(
      `CREATE UNIQUE INDEX alert_subscriptions_active_url_key ON alert_subscriptions (dealer_id, url) WHERE active`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX alert_subscriptions_active_url_key');
  }
}
