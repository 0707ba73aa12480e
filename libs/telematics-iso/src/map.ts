import { createHash } from 'node:crypto';
import { DEFAULT_MAX_FUTURE_SKEW_MS } from '@rp/contracts';
import { collectReadings, type TimeLimit } from './readings';
import type {
  FleetDocument,
  MapOptions,
  MapResult,
  RawEquipment,
  RejectedEquipment,
  TelematicsSnapshotEvent,
} from './types';
import { dateTimeOf, EntryRejected, showDuration, textOf, toRfc3339 } from './values';

export const DEFAULT_SOURCE = 'iso15143-3';

/**
 * Turns every usable equipment entry into a `telematics.snapshot` event and reports the others in
 * `rejected` with a reason naming the field; readings dated implausibly far in the future (after
 * `opts.now` + the ingest's skew) are left out of the event and listed in `dropped`. Pure and
 * deterministic: the same document and options always give the same events, ids included, so
 * re-importing a page is a no-op downstream.
 */
export function mapEquipment(doc: FleetDocument, opts: MapOptions): MapResult {
  const dealerId = opts.dealerId;
  if (typeof dealerId !== 'string' || dealerId.length < 1 || dealerId.length > 64) {
    throw new Error('mapEquipment: dealerId must be a string of 1 to 64 characters');
  }
  const source = opts.source ?? DEFAULT_SOURCE;
  const limit = timeLimit(opts);
  const events: TelematicsSnapshotEvent[] = [];
  const indexes: number[] = [];
  const rejected: RejectedEquipment[] = [];
  const dropped: RejectedEquipment[] = [];
  doc.equipment.forEach((raw, index) => {
    const serialNumber = serialOf(raw);
    const equipmentId = textOf(raw.header.equipmentId);
    const who = { ...(serialNumber && { serialNumber }), ...(equipmentId && { equipmentId }) };
    try {
      const { event, notes } = toEvent(raw, serialNumber, doc.snapshotTime, dealerId, source, limit);
      events.push(event);
      indexes.push(index);
      for (const reason of notes) dropped.push({ index, ...who, reason });
    } catch (e) {
      const reason = e instanceof EntryRejected ? e.message : `unexpected error: ${String(e)}`;
      rejected.push({ index, reason, ...who });
    }
  });
  return { events, indexes, rejected, dropped };
}

function timeLimit(opts: MapOptions): TimeLimit {
  const skew = opts.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS;
  if (!Number.isFinite(opts.now) || !Number.isInteger(skew) || skew < 0) {
    throw new Error(
      'mapEquipment: now must be epoch milliseconds and maxFutureSkewMs a non-negative integer',
    );
  }
  return {
    latestMs: opts.now + skew,
    describe: `more than ${showDuration(skew)} after the import time ${toRfc3339(opts.now)}`,
  };
}

/**
 * The machine's serial: `SerialNumber`, else `PIN` (placeholders such as `missing` count as absent).
 * `EquipmentID` is deliberately not used: it is the OEM's or fleet owner's unit id, not the machine's
 * serial, so it would never match the serial in warranty and work-order events and would create a
 * phantom machine. Such entries are rejected and the rejection carries the EquipmentID for follow-up.
 */
export function serialOf(raw: RawEquipment): string | undefined {
  return textOf(raw.header.serialNumber) ?? textOf(raw.header.pin);
}

/**
 * `iso15143-` + the first 32 hex digits of sha256(dealerId|serialNumber|occurredAt). The identity is the
 * machine and its reading time, not the readings: re-importing a document (or an overlapping page) adds
 * nothing, and one machine cannot have two snapshots at one instant downstream. Two entries with this id
 * but different readings are a conflict in the feed: the import reports it (FleetImport) rather than
 * letting a content hash turn a corrected re-send into a second, contradictory snapshot.
 */
export function snapshotEventId(dealerId: string, serialNumber: string, occurredAt: string): string {
  const digest = createHash('sha256').update(`${dealerId}|${serialNumber}|${occurredAt}`).digest('hex');
  return `iso15143-${digest.slice(0, 32)}`;
}

function toEvent(
  raw: RawEquipment,
  serialNumber: string | undefined,
  snapshotTime: string | undefined,
  dealerId: string,
  source: string,
  limit: TimeLimit,
): { event: TelematicsSnapshotEvent; notes: string[] } {
  if (!serialNumber) {
    const given = raw.header.serialNumber;
    const what = given === undefined ? 'is absent' : `is a placeholder ('${String(given).trim()}')`;
    throw new EntryRejected(`EquipmentHeader.SerialNumber ${what} and there is no usable PIN`);
  }
  const { readings, times, dropped } = collectReadings(raw, limit);
  if (Object.keys(readings).length === 0) {
    throw new EntryRejected(
      dropped.length > 0
        ? `no plausible readings: ${dropped.join('; ')}`
        : 'no readings: the entry has no CumulativeOperatingHours, CumulativeIdleHours, FuelUsed, Location, EngineStatus or fault code value',
    );
  }
  // The event time is that of the newest (plausible) reading; the page's snapshotTime only stands in when
  // none has one.
  const at = times.length > 0 ? Math.max(...times) : dateTimeOf(snapshotTime, 'snapshotTime');
  if (at === undefined)
    throw new EntryRejected('no reading has a datetime and the document has no snapshotTime');
  if (at > limit.latestMs) {
    throw new EntryRejected(
      `no reading has a datetime and snapshotTime ${toRfc3339(at)} is ${limit.describe}`,
    );
  }
  const occurredAt = toRfc3339(at);
  const oemName = textOf(raw.header.oemName) ?? textOf(raw.header.make);
  const model = textOf(raw.header.model);
  const event: TelematicsSnapshotEvent = {
    eventId: snapshotEventId(dealerId, serialNumber, occurredAt),
    type: 'telematics.snapshot',
    occurredAt,
    dealerId,
    source,
    schemaVersion: 1,
    data: { serialNumber, ...(oemName && { oemName }), ...(model && { model }), ...readings },
  };
  return { event, notes: dropped };
}
