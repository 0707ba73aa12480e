// Test-only helpers for the *.spec.ts files of this lib; not exported from index.ts.
import {
  parseEvent,
  type ContractEvent,
  type ParseEventOptions,
  type RejectionCode,
  type TopicKind,
} from './index';

export const NOW = new Date('2026-04-13T00:00:00Z');
export const SERVICE: ParseEventOptions = { topicKind: 'service', now: NOW };

/** A valid `work-order.closed` message, as an object to patch. */
export const base = {
  eventId: 'e1',
  type: 'work-order.closed',
  occurredAt: '2026-04-12T10:00:00Z',
  dealerId: 'd1',
  data: {
    workOrderId: 'w1',
    customerId: 'c1',
    branchId: 'b1',
    kind: 'repair',
    laborAmount: 10,
    partsAmount: 5,
    currency: 'EUR',
  },
};
export const withData = (patch: object) => JSON.stringify({ ...base, data: { ...base.data, ...patch } });
export const withEnvelope = (patch: object) => JSON.stringify({ ...base, ...patch });
export const without = (field: string) => {
  const copy: Record<string, unknown> = { ...base };
  delete copy[field];
  return JSON.stringify(copy);
};

/** A message of `type` with `data`, otherwise valid. */
export const envelope = (type: string, data: object) =>
  JSON.stringify({ eventId: `e-${type}`, type, occurredAt: '2026-04-12T10:00:00Z', dealerId: 'd1', data });

export function accept(
  raw: string | Buffer,
  topicKind: TopicKind,
): { event: ContractEvent; occurredAtMs: number } {
  const r = parseEvent(raw, { topicKind, now: NOW });
  if (!r.ok) throw new Error(`expected ok, got ${r.code}: ${r.message}`);
  return r;
}

export function rejection(
  raw: Parameters<typeof parseEvent>[0],
  opts: ParseEventOptions = SERVICE,
): { code: RejectionCode; message: string } {
  const r = parseEvent(raw, opts);
  if (r.ok) throw new Error('expected a rejection');
  return { code: r.code, message: r.message };
}
