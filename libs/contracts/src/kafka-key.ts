import type { ContractEvent } from './events';

/**
 * The Kafka key of an input event (EVENTS.md "Topics and keys"): the machine's serial number, or for a
 * service event without one, the customer id. Keeps one machine's events in one partition.
 */
export function kafkaKeyFor(event: ContractEvent): string {
  switch (event.type) {
    case 'telematics.snapshot':
    case 'warranty.registered':
    case 'warranty.extended':
    case 'warranty.expiring':
    case 'warranty.expired':
    case 'ownership.transferred':
      return event.data.serialNumber;
    case 'work-order.opened':
    case 'work-order.closed':
    case 'parts.sold':
    case 'complaint.opened':
    case 'survey.responded':
      return event.data.serialNumber ?? event.data.customerId;
    case 'customer.upserted':
    case 'complaint.resolved':
      return event.data.customerId;
  }
}
