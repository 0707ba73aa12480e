import type { ContractEvent } from '@rp/contracts';
import type { IngestEvent } from './ingest-event';
import { cols, iso, unnestInsert, type Executor } from './sql';

/** What the timeline shows of an event: facts a manager reads, never personal data (name, phone, email). */
export function timelineSummary(e: ContractEvent): Record<string, unknown> {
  switch (e.type) {
    case 'customer.upserted':
      return { branchId: e.data.branchId };
    case 'survey.responded': {
      const { nps, ces, csat, workOrderId } = e.data;
      return { nps, ces, csat, workOrderId, hasComment: e.data.comment !== undefined };
    }
    case 'telematics.snapshot': {
      const d = e.data;
      return {
        hours: d.cumulativeOperatingHours,
        engineRunning: d.engineRunning,
        location: d.location,
        faultCodes: d.faultCodes?.map((f) => `${f.code}:${f.severity}`),
      };
    }
    case 'warranty.registered':
    case 'warranty.extended':
    case 'warranty.expiring':
    case 'warranty.expired':
    case 'ownership.transferred':
    case 'work-order.opened':
    case 'work-order.closed':
    case 'parts.sold':
    case 'complaint.opened':
    case 'complaint.resolved':
      return { ...e.data };
  }
}

function customerOf(e: ContractEvent): string | undefined {
  switch (e.type) {
    case 'telematics.snapshot':
    case 'warranty.extended':
    case 'warranty.expiring':
    case 'warranty.expired':
      return undefined;
    case 'ownership.transferred':
      return e.data.toCustomerId;
    case 'warranty.registered':
    case 'customer.upserted':
    case 'work-order.opened':
    case 'work-order.closed':
    case 'parts.sold':
    case 'complaint.opened':
    case 'complaint.resolved':
    case 'survey.responded':
      return e.data.customerId;
  }
}

const serialOf = (e: ContractEvent): string | undefined =>
  'serialNumber' in e.data ? (e.data as { serialNumber?: string }).serialNumber : undefined;

/**
 * The per-customer / per-machine timeline the API shows. Telematics snapshots are not written here: the
 * `timeline` view derives their rows from `telematics_readings` (same summary as timelineSummary).
 */
export async function projectTimeline(db: Executor, events: IngestEvent[]): Promise<void> {
  await unnestInsert(
    db,
    'timeline_events',
    cols('dealer_id, event_id, type, occurred_at timestamptz, customer_id, serial_number, summary jsonb'),
    events
      .filter(({ event }) => event.type !== 'telematics.snapshot')
      .map(({ event, occurredAtMs }) => [
        event.dealerId,
        event.eventId,
        event.type,
        iso(occurredAtMs),
        customerOf(event),
        serialOf(event),
        timelineSummary(event),
      ]),
    'ON CONFLICT DO NOTHING',
  );
}
