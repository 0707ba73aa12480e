import type { DataSource } from 'typeorm';
import { holdoutKey, recordHoldouts } from '@rp/followups';
import { alertSource, type AlertSourceKind } from '../core/alert-source';
import { deliveryIdFor } from '../core/payload';
import { matchesSubscription, type AlertSubscription } from '../core/subscription';

interface OutboxRow {
  id: string;
  dealer_id: string;
  kind: AlertSourceKind;
  dedup_key: string;
  payload: unknown;
  created_at: Date;
}

interface SubscriptionRow {
  dealer_id: string;
  subscription_id: string;
  reason_codes: string[] | null;
  min_priority: string;
  alert_types: string[];
  active: boolean;
  created_at: Date;
}

export interface FanOutResult {
  scanned: number;
  dispatches: number;
  invalid: number;
  /** Decisions about held-out customers: no alert (see alertSource). */
  heldOut: number;
}

/**
 * Turns a batch of newly recorded decisions and escalations into dispatch rows, one per matching
 * subscription; decisions about held-out customers alert nobody. The holdout is the one the tasks record per
 * customer (recordHoldouts: a customer without a record is drawn under `holdoutShare` and recorded, so the
 * decision's task gets the same answer; a recorded one is held out while the current share still covers it).
 * Postgres only (no Redis, no receiver), so outbox rows are locked for milliseconds; SKIP LOCKED lets
 * replicas, the followups relay and the Kafka publisher pass each other. The outbox mark is our own
 * column (alerts_scanned_at): the relay's dispatched_at / applied_at are never touched.
 */
export async function fanOutDecisions(
  ds: DataSource,
  limit: number,
  holdoutShare: number,
): Promise<FanOutResult> {
  return ds.transaction(async (em) => {
    const rows = await em.query<OutboxRow[]>(
      `SELECT id, dealer_id, kind, dedup_key, payload, created_at FROM outbox
        WHERE kind IN ('decision', 'escalation') AND alerts_scanned_at IS NULL
        ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    if (rows.length === 0) return { scanned: 0, dispatches: 0, invalid: 0, heldOut: 0 };
    const subs = (
      await em.query<SubscriptionRow[]>(
        `SELECT dealer_id, subscription_id, reason_codes, min_priority, alert_types, active, created_at
           FROM alert_subscriptions WHERE active AND dealer_id = ANY($1::text[])`,
        [[...new Set(rows.map((r) => r.dealer_id))]],
      )
    ).map(toSubscription);

    const cols = { dealer: [], source: [], decision: [], subscription: [], delivery: [] } as Record<
      'dealer' | 'source' | 'decision' | 'subscription' | 'delivery',
      string[]
    >;
    const held = await recordHoldouts(
      em,
      rows.flatMap((r) => {
        const customerId = r.kind === 'decision' ? customerOf(r.payload) : undefined;
        return customerId === undefined ? [] : [{ dealerId: r.dealer_id, customerId }];
      }),
      holdoutShare,
    );
    let invalid = 0;
    let heldOut = 0;
    for (const r of rows) {
      const src = alertSource(r.kind, r.payload, {
        dealerId: r.dealer_id,
        recordedAtMs: new Date(r.created_at).getTime(),
      });
      if (!src.ok) {
        invalid++;
        continue;
      }
      const customerId = r.kind === 'decision' ? customerOf(r.payload) : undefined;
      if (customerId !== undefined && held.has(holdoutKey(r.dealer_id, customerId))) {
        heldOut++;
        continue;
      }
      for (const s of subs) {
        if (!matchesSubscription(s, src.match)) continue;
        cols.dealer.push(r.dealer_id);
        cols.source.push(r.kind);
        cols.decision.push(r.dedup_key);
        cols.subscription.push(s.subscriptionId);
        cols.delivery.push(deliveryIdFor(r.dealer_id, r.dedup_key, s.subscriptionId));
      }
    }
    if (cols.dealer.length > 0) {
      await em.query(
        `INSERT INTO alert_dispatch (dealer_id, source_kind, decision_id, subscription_id, delivery_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
         ON CONFLICT DO NOTHING`,
        [cols.dealer, cols.source, cols.decision, cols.subscription, cols.delivery],
      );
    }
    await em.query('UPDATE outbox SET alerts_scanned_at = now() WHERE id = ANY($1::bigint[])', [
      rows.map((r) => r.id),
    ]);
    return { scanned: rows.length, dispatches: cols.dealer.length, invalid, heldOut };
  });
}

/** The customer a decision payload names, if it names one. */
function customerOf(payload: unknown): string | undefined {
  const id = (payload as { customerId?: unknown } | null)?.customerId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function toSubscription(r: SubscriptionRow): AlertSubscription {
  return {
    dealerId: r.dealer_id,
    subscriptionId: r.subscription_id,
    reasonCodes: r.reason_codes,
    minPriority: Number(r.min_priority),
    alertTypes: r.alert_types,
    active: r.active,
    createdAtMs: new Date(r.created_at).getTime(),
  };
}
