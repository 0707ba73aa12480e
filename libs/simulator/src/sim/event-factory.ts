import type { ResolvedSimulationOptions } from '../options';
import type { SimEventType, SimRecord, SimTopic } from '../records';
import { rfc3339 } from '../time';
import { simulationIdPrefix } from './id-prefix';

/** A record not yet emitted, with its event time in epoch ms for sorting. */
export interface Pending {
  ms: number;
  record: SimRecord;
}

const TOPIC_OF: Record<SimEventType, SimTopic> = {
  'telematics.snapshot': 'telematics',
  'warranty.registered': 'warranty',
  'warranty.extended': 'warranty',
  'warranty.expiring': 'warranty',
  'warranty.expired': 'warranty',
  'ownership.transferred': 'warranty',
  'customer.upserted': 'service',
  'work-order.opened': 'service',
  'work-order.closed': 'service',
  'parts.sold': 'service',
  'complaint.opened': 'service',
  'complaint.resolved': 'service',
  'survey.responded': 'service',
};

/** Builds envelopes of one simulation: the dealer, source and an event-id prefix unique to its options. */
export class EventFactory {
  private readonly idPrefix: string;

  constructor(private readonly opts: ResolvedSimulationOptions) {
    this.idPrefix = simulationIdPrefix(opts);
  }

  get currency(): string {
    return this.opts.currency;
  }

  /**
   * `key` follows EVENTS.md: the serial number, else the customer id. `id` must be unique within the
   * simulation; the prefix (seed and a hash of every option) keeps two simulations of one dealer apart.
   */
  make(type: SimEventType, ms: number, id: string, key: string, data: Record<string, unknown>): Pending {
    return {
      ms,
      record: {
        topic: TOPIC_OF[type],
        key,
        event: {
          eventId: this.idPrefix + id,
          type,
          occurredAt: rfc3339(ms),
          dealerId: this.opts.dealerId,
          source: this.opts.source,
          schemaVersion: 1,
          data,
        },
      },
    };
  }
}
