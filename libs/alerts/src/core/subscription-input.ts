import type { WebhookUrlPolicy } from '@rp/config';
import { REASON_CODES } from '@rp/risk';
import { ALERT_TYPES, type AlertType } from './subscription';
import { webhookUrlProblem } from './webhook-url';

export interface SubscriptionInput {
  dealerId: string;
  url: string;
  secret: string;
  reasonCodes: string[] | null;
  minPriority: number;
  /** The alert types it takes (default: all, ALERT_TYPES). */
  alertTypes: AlertType[];
}

export interface RawSubscriptionInput {
  dealer?: string;
  url?: string;
  secret?: string;
  /** Comma-separated reason codes; absent = all. */
  reasons?: string;
  minPriority?: string;
  /** Comma-separated alert types (churn.alert, task.escalated); absent = all. */
  alerts?: string;
}

/**
 * Validates `webhooks add` options, the URL against the webhook URL policy; throws an Error whose message
 * names the bad option and the problem.
 */
export function parseSubscriptionInput(
  raw: RawSubscriptionInput,
  policy: WebhookUrlPolicy,
): SubscriptionInput {
  const dealerId = raw.dealer?.trim() ?? '';
  if (dealerId.length < 1 || dealerId.length > 64) throw new Error('--dealer: 1-64 characters');
  const urlProblem = webhookUrlProblem(raw.url ?? '', policy);
  if (urlProblem) throw new Error(`--url: ${urlProblem}`);
  const url = new URL(raw.url ?? '');
  const secret = raw.secret ?? '';
  if (secret.length < 16) throw new Error('--secret: at least 16 characters');
  let reasonCodes: string[] | null = null;
  if (raw.reasons !== undefined) {
    const codes = [
      ...new Set(
        raw.reasons
          .split(',')
          .map((c) => c.trim())
          .filter((c) => c.length > 0),
      ),
    ];
    const unknown = codes.filter((c) => !(REASON_CODES as readonly string[]).includes(c));
    if (codes.length === 0) throw new Error('--reasons: no reason code given');
    if (unknown.length > 0) throw new Error(`--reasons: unknown reason code(s) ${unknown.join(', ')}`);
    reasonCodes = codes;
  }
  const minPriority = raw.minPriority === undefined ? 0 : Number(raw.minPriority);
  if (!Number.isFinite(minPriority) || minPriority < 0) throw new Error('--min-priority: a number ≥ 0');
  return {
    dealerId,
    url: url.toString(),
    secret,
    reasonCodes,
    minPriority,
    alertTypes: alertTypes(raw.alerts),
  };
}

function alertTypes(raw: string | undefined): AlertType[] {
  if (raw === undefined) return [...ALERT_TYPES];
  const types = [
    ...new Set(
      raw
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t.length > 0),
    ),
  ];
  const unknown = types.filter((t) => !(ALERT_TYPES as readonly string[]).includes(t));
  if (types.length === 0) throw new Error('--alerts: no alert type given');
  if (unknown.length > 0)
    throw new Error(
      `--alerts: unknown alert type(s) ${unknown.join(', ')} (known: ${ALERT_TYPES.join(', ')})`,
    );
  return types as AlertType[];
}
