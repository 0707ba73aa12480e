import { z } from 'zod';
import { REASON_CODES, REASON_FAMILIES, REASON_FAMILY } from '@rp/risk';
import type { FollowupDecision } from '../core/task';
import type { ValuedUrgency } from '../core/urgency';

const instant = z.number().int().nonnegative();
const text = z.string().min(1);

const schema = z
  .object({
    id: text,
    dealerId: text,
    customerId: text,
    serialNumber: text.nullable(),
    // '' when the customer's branch is not known yet (no master data, no machine with a branch): the task
    // is stored unrouted and routed later, never rejected.
    branchId: z.string(),
    reasonCode: z.enum(REASON_CODES),
    family: z.enum(REASON_FAMILIES),
    message: text,
    evidenceEventIds: z.array(text),
    ruleVersion: text,
    detectedAtMs: instant,
    urgency: z.object({
      warrantyEndsAtMs: instant.optional(),
      dueSinceMs: instant.optional(),
      respondByMs: instant.optional(),
    }),
    valueAtRisk: z.number().finite().nonnegative(),
    priority: z.number().finite().nonnegative(),
    // The urgency valuing applied (pendingWarrantyEndMs); absent on decisions published before.
    urgencyFactor: z.union([z.literal(1), z.literal(2)]).optional(),
    urgencyEndsAtMs: instant.optional(),
  })
  .refine((d) => REASON_FAMILY[d.reasonCode] === d.family, { message: 'family does not match reasonCode' });

/** Validates a published decision; returns the reason it can never be applied, or the decision. */
export function parseDecision(
  payload: unknown,
  envelope: { dealerId: string; decisionId: string },
): { ok: true; decision: FollowupDecision & ValuedUrgency } | { ok: false; reason: string } {
  const r = schema.safeParse(payload);
  if (!r.success) {
    const issue = r.error.issues[0];
    return { ok: false, reason: `invalid decision: ${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  if (r.data.dealerId !== envelope.dealerId || r.data.id !== envelope.decisionId) {
    return { ok: false, reason: 'invalid decision: dealerId or id differs from its outbox row' };
  }
  return { ok: true, decision: r.data };
}
