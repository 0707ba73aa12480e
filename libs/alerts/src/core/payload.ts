import { createHash } from 'node:crypto';
import { z } from 'zod';

const text = z.string().min(1);

/** The fields of a recorded decision (the outbox's ValuedDecision JSON) that an alert carries. */
const decisionSchema = z.object({
  id: text,
  dealerId: text,
  customerId: text,
  serialNumber: text.nullable(),
  branchId: text.nullable().optional(),
  reasonCode: text,
  family: text,
  message: text,
  evidenceEventIds: z.array(text).optional(),
  ruleVersion: text.optional(),
  detectedAtMs: z.number().int().nonnegative(),
  valueAtRisk: z.number().finite(),
  priority: z.number().finite(),
});

export type AlertDecision = z.infer<typeof decisionSchema>;

/** Validates an outbox decision payload; the reason when it can never become an alert. */
export function parseAlertDecision(
  payload: unknown,
): { ok: true; decision: AlertDecision } | { ok: false; reason: string } {
  const r = decisionSchema.safeParse(payload);
  if (r.success) return { ok: true, decision: r.data };
  const issue = r.error.issues[0];
  return { ok: false, reason: `invalid decision: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
}

/** Deterministic delivery id: one per (dealer, decision, subscription), the same on every attempt. */
export const deliveryIdFor = (dealerId: string, decisionId: string, subscriptionId: string): string =>
  createHash('sha256').update(`alert|${dealerId}|${decisionId}|${subscriptionId}`).digest('hex').slice(0, 32);

export interface AlertPayload {
  type: 'churn.alert';
  deliveryId: string;
  dealerId: string;
  subscriptionId: string;
  decision: {
    id: string;
    customerId: string;
    serialNumber: string | null;
    branchId: string | null;
    reasonCode: string;
    family: string;
    message: string;
    evidenceEventIds: string[];
    ruleVersion: string | null;
    detectedAt: string;
    priority: number;
    valueAtRisk: number;
  };
}

/**
 * The JSON body of an alert. It holds no send time, so every attempt of a delivery posts the same
 * bytes; the attempt's time travels in x-retention-timestamp, which the signature covers with the body.
 */
export function alertPayload(d: AlertDecision, deliveryId: string, subscriptionId: string): AlertPayload {
  return {
    type: 'churn.alert',
    deliveryId,
    dealerId: d.dealerId,
    subscriptionId,
    decision: {
      id: d.id,
      customerId: d.customerId,
      serialNumber: d.serialNumber,
      branchId: d.branchId ?? null,
      reasonCode: d.reasonCode,
      family: d.family,
      message: d.message,
      evidenceEventIds: d.evidenceEventIds ?? [],
      ruleVersion: d.ruleVersion ?? null,
      detectedAt: new Date(d.detectedAtMs).toISOString(),
      priority: d.priority,
      valueAtRisk: d.valueAtRisk,
    },
  };
}
