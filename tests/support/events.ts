import type { Producer } from 'kafkajs';

/** Contract events (EVENTS.md) as an outside producer writes them. */
export interface Ev {
  eventId: string;
  type: string;
  occurredAt: string;
  dealerId: string;
  source?: string;
  data: Record<string, unknown>;
}

export const ev = (
  eventId: string,
  type: string,
  occurredAt: string,
  data: Record<string, unknown>,
  dealerId = 'd1',
): Ev => ({
  eventId,
  type,
  occurredAt,
  dealerId,
  data,
});

const TOPIC_OF: Record<string, 'telematics' | 'warranty' | 'service'> = {
  'telematics.snapshot': 'telematics',
  'warranty.registered': 'warranty',
  'warranty.extended': 'warranty',
  'warranty.expiring': 'warranty',
  'warranty.expired': 'warranty',
  'ownership.transferred': 'warranty',
};

export const kindOf = (type: string): 'telematics' | 'warranty' | 'service' => TOPIC_OF[type] ?? 'service';

/** Produces events to the topic of their type, keyed as EVENTS.md says. */
export async function produceEvents(
  producer: Producer,
  topics: { telematics: string; warranty: string; service: string },
  events: Ev[],
): Promise<void> {
  const byTopic = new Map<string, { key: string; value: string }[]>();
  for (const e of events) {
    const topic = topics[kindOf(e.type)];
    const key = (e.data.serialNumber ?? e.data.customerId ?? e.eventId) as string;
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), { key, value: JSON.stringify(e) }]);
  }
  await producer.sendBatch({
    acks: -1,
    topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
  });
}

/**
 * A deterministic little fleet: per machine a delivery, a warranty, telematics growing weekly,
 * work orders and parts sales — enough traffic for crash and scale-out tests.
 */
export function fleetHistory(machines: number, weeks: number, dealerId = 'd1'): Ev[] {
  const out: Ev[] = [];
  const day = (n: number) => new Date(Date.UTC(2025, 0, 1) + n * 86_400_000).toISOString();
  for (let m = 0; m < machines; m++) {
    const serial = `SN-${m}`;
    const customerId = `c-${m % Math.max(1, Math.floor(machines / 3))}`;
    const branchId = `b-${m % 3}`;
    out.push(
      ev(`cu-${m}`, 'customer.upserted', day(0), { customerId, name: `Customer ${m}`, branchId }, dealerId),
    );
    out.push(
      ev(
        `wr-${m}`,
        'warranty.registered',
        day(m % 7),
        {
          serialNumber: serial,
          customerId,
          branchId,
          model: 'PC200-8',
          startsAt: day(m % 7).slice(0, 10),
          endsAt: day(365 + (m % 7)).slice(0, 10),
        },
        dealerId,
      ),
    );
    for (let w = 1; w <= weeks; w++) {
      out.push(
        ev(
          `t-${m}-${w}`,
          'telematics.snapshot',
          day(w * 7),
          {
            serialNumber: serial,
            cumulativeOperatingHours: Math.round(w * (15 + (m % 10)) * 10) / 10,
            location: { latitude: 30 + (m % 5), longitude: 120 + (w % 3) },
            engineRunning: w % 2 === 0,
          },
          dealerId,
        ),
      );
      if (w % 8 === 0) {
        out.push(
          ev(
            `wo-${m}-${w}-o`,
            'work-order.opened',
            day(w * 7 + 1),
            { workOrderId: `${m}-${w}`, customerId, branchId, serialNumber: serial, kind: 'maintenance' },
            dealerId,
          ),
        );
        out.push(
          ev(
            `wo-${m}-${w}-c`,
            'work-order.closed',
            day(w * 7 + 2),
            {
              workOrderId: `${m}-${w}`,
              customerId,
              branchId,
              serialNumber: serial,
              kind: 'maintenance',
              laborAmount: 100 + m,
              partsAmount: 50 + w,
              currency: 'EUR',
            },
            dealerId,
          ),
        );
      }
      if (w % 5 === 0) {
        out.push(
          ev(
            `ps-${m}-${w}`,
            'parts.sold',
            day(w * 7 + 3),
            {
              invoiceId: `inv-${m}-${w}`,
              customerId,
              branchId,
              amount: 20 + w,
              currency: 'EUR',
              category: 'filters',
            },
            dealerId,
          ),
        );
      }
    }
  }
  return out;
}
