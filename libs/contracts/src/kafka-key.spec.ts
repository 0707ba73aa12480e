import { kafkaKeyFor, parseEvent, type ContractEvent, type TopicKind } from './index';

function event(topicKind: TopicKind, type: string, data: object): ContractEvent {
  const raw = JSON.stringify({
    eventId: 'e',
    type,
    occurredAt: '2026-04-12T10:00:00Z',
    dealerId: 'd1',
    data,
  });
  const r = parseEvent(raw, { topicKind, now: new Date('2026-04-13T00:00:00Z') });
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.event;
}

describe('kafkaKeyFor', () => {
  it.each<[TopicKind, string, object, string]>([
    ['telematics', 'telematics.snapshot', { serialNumber: 'PC200-1' }, 'PC200-1'],
    [
      'warranty',
      'warranty.registered',
      {
        serialNumber: 'PC200-1',
        customerId: 'c1',
        branchId: 'b',
        startsAt: '2025-01-01',
        endsAt: '2026-01-01',
      },
      'PC200-1',
    ],
    [
      'warranty',
      'warranty.expired',
      { serialNumber: 'PC200-1', endedAt: '2026-01-01', coverage: 'standard' },
      'PC200-1',
    ],
    [
      'warranty',
      'ownership.transferred',
      { serialNumber: 'PC200-1', fromCustomerId: 'c1', toCustomerId: 'c2' },
      'PC200-1',
    ],
    [
      'service',
      'work-order.closed',
      {
        workOrderId: 'w',
        customerId: 'c1',
        branchId: 'b',
        serialNumber: 'PC200-1',
        kind: 'repair',
        laborAmount: 1,
        partsAmount: 1,
        currency: 'EUR',
      },
      'PC200-1',
    ],
    [
      'service',
      'work-order.opened',
      { workOrderId: 'w', customerId: 'c1', branchId: 'b', kind: 'repair' },
      'c1',
    ],
    [
      'service',
      'parts.sold',
      { invoiceId: 'i', customerId: 'c1', branchId: 'b', amount: 1, currency: 'EUR' },
      'c1',
    ],
    [
      'service',
      'parts.sold',
      {
        invoiceId: 'i',
        customerId: 'c1',
        branchId: 'b',
        serialNumber: 'PC200-1',
        amount: 1,
        currency: 'EUR',
      },
      'PC200-1',
    ],
    ['service', 'complaint.opened', { complaintId: 'k', customerId: 'c1' }, 'c1'],
    ['service', 'survey.responded', { surveyId: 's', customerId: 'c1', serialNumber: 'PC200-1' }, 'PC200-1'],
    ['service', 'customer.upserted', { customerId: 'c1', name: 'N', branchId: 'b' }, 'c1'],
    ['service', 'complaint.resolved', { complaintId: 'k', customerId: 'c1' }, 'c1'],
  ])('%s %s -> key', (topicKind, type, data, key) => {
    expect(kafkaKeyFor(event(topicKind, type, data))).toBe(key);
  });
});
