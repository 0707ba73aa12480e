import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { IsoParseError } from './errors';
import { ingestRefusal } from './ingest-check';
import { MAX_DOCUMENT_BYTES, readBounded, tooLargeMessage } from './limits';
import { mapEquipment } from './map';
import { parseFleetDocument } from './parse';
import { displayUrl, IsoFetchError } from './http';
import { pollFleet, type PollerOptions, type PollResult } from './poller';
import type { PublishedSnapshots } from './published-memory';
import type { FleetDocument, MapOptions, RejectedEquipment, TelematicsSnapshotEvent } from './types';

/** One Kafka record for the telematics topic: key = serialNumber (EVENTS.md), value = the JSON envelope. */
export interface TelematicsMessage {
  key: string;
  value: string;
}

/** Writes records to the telematics topic; resolves once they are acknowledged. */
export type PublishMessages = (messages: TelematicsMessage[]) => Promise<void>;

export { MAX_EVENT_BYTES } from './ingest-check';

export interface ImportOptions extends Omit<MapOptions, 'now'> {
  publish: PublishMessages;
  /** Records per publish call (default 500). */
  batchSize?: number;
  /** Clock (epoch ms) giving each document's reference time for the future-skew check (`MapOptions.now`). */
  now: () => number;
  /** Largest document file read (default MAX_DOCUMENT_BYTES, 50 MiB). */
  maxDocumentBytes?: number;
  /**
   * The last snapshot published per machine, shared by the cycles of a scheduled poller: an entry whose
   * snapshot was already published (or is older than that) is counted as unchanged and not sent again.
   */
  published?: PublishedSnapshots;
}

export interface ImportedDocument {
  /** File path, or `page N (url)` when polled. */
  label: string;
  equipment: number;
  published: number;
  /** Events already published earlier in this import (same id, same readings), not sent again. */
  duplicates: number;
  /** Entries with the id of an earlier one (same machine and reading time) but other readings: not sent. */
  conflicts: number;
  /** Entries whose snapshot an earlier poll cycle already published (or a newer one): not sent again. */
  unchanged: number;
  rejected: number;
  /** Readings left out of published events (e.g. dated in the future). */
  dropped: number;
}

/** An entry whose machine and reading time were already imported with different readings. */
export interface ImportConflict {
  document: string;
  index: number;
  serialNumber: string;
  occurredAt: string;
  eventId: string;
  /** Where the published version came from. */
  first: { document: string; index: number };
  /** The fields that differ (e.g. `cumulativeOperatingHours 1523.5 ≠ 1530`). */
  differences: string[];
}

export interface ImportRejection extends RejectedEquipment {
  document: string;
}

export interface ImportSummary {
  dealerId: string;
  documents: ImportedDocument[];
  published: number;
  duplicates: number;
  /** Not sent again: an earlier cycle of the scheduled poller published this snapshot or a newer one. */
  unchanged: number;
  /** Same id as an earlier entry of this import, other readings: reported, never published. */
  conflicts: ImportConflict[];
  rejected: ImportRejection[];
  /** Readings left out of published events, with the reason (a datetime implausibly far in the future). */
  dropped: ImportRejection[];
  /** Documents that could not be read at all (missing file, malformed XML/JSON). */
  failed: { document: string; error: string }[];
  /** Set when the endpoint was polled. */
  poll?: PollResult;
  /** Why a poll ended early; pages before it were published. */
  error?: string;
}

export function toTelematicsMessage(event: TelematicsSnapshotEvent): TelematicsMessage {
  return { key: event.data.serialNumber, value: JSON.stringify(event) };
}

type Readings = Record<string, unknown>;

/** The readings an event carries, in a form where equal readings compare equal (fault codes sorted). */
function readingsOf(event: TelematicsSnapshotEvent): Readings {
  const { faultCodes, ...rest } = event.data;
  const faults =
    faultCodes && [...faultCodes].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { ...rest, ...(faults && { faultCodes: faults }), source: event.source };
}

function differencesOf(a: Readings, b: Readings): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  const text = (v: unknown) => (v === undefined ? '(none)' : JSON.stringify(v));
  return keys.filter((k) => text(a[k]) !== text(b[k])).map((k) => `${k} ${text(a[k])} ≠ ${text(b[k])}`);
}

/**
 * Maps fleet documents and publishes their events, collecting what was published and rejected. An entry
 * whose id (machine + reading time) was already published in this import is skipped: a duplicate when
 * its readings are the same (re-importing a document adds nothing), a reported conflict when they differ
 * (the feed contradicts itself; only the first version is published, the pipeline keeps one per id).
 */
export class FleetImport {
  private readonly seen = new Map<string, { document: string; index: number; readings: Readings }>();
  private readonly summary: ImportSummary;

  constructor(private readonly opts: ImportOptions) {
    this.summary = {
      dealerId: opts.dealerId,
      documents: [],
      published: 0,
      duplicates: 0,
      unchanged: 0,
      conflicts: [],
      rejected: [],
      dropped: [],
      failed: [],
    };
  }

  async add(label: string, doc: FleetDocument): Promise<ImportedDocument> {
    const now = this.opts.now();
    const { events, indexes, rejected, dropped } = mapEquipment(doc, {
      dealerId: this.opts.dealerId,
      source: this.opts.source,
      now,
      maxFutureSkewMs: this.opts.maxFutureSkewMs,
    });
    const rejections: ImportRejection[] = rejected.map((r) => ({ document: label, ...r }));
    const conflicts: ImportConflict[] = [];
    const pending: {
      message: TelematicsMessage;
      event: TelematicsSnapshotEvent;
      index: number;
      readings: Readings;
    }[] = [];
    let duplicates = 0;
    let unchanged = 0;
    for (const [i, event] of events.entries()) {
      const readings = readingsOf(event);
      const last = this.opts.published?.get(event.data.serialNumber);
      const earlier =
        this.seen.get(event.eventId) ??
        (last?.eventId === event.eventId ? { ...last, previous: true } : undefined);
      if (earlier) {
        const differences = differencesOf(earlier.readings, readings);
        if (differences.length > 0) {
          conflicts.push({
            document: label,
            index: indexes[i],
            serialNumber: event.data.serialNumber,
            occurredAt: event.occurredAt,
            eventId: event.eventId,
            first: { document: earlier.document, index: earlier.index },
            differences,
          });
        } else if ('previous' in earlier) unchanged++;
        else duplicates++;
        continue;
      }
      if (last && Date.parse(event.occurredAt) < Date.parse(last.occurredAt)) {
        unchanged++; // the feed still serves an older reading than the one already published
        continue;
      }
      const message = toTelematicsMessage(event);
      const reason = ingestRefusal(message.value, now, this.opts.maxFutureSkewMs);
      if (reason !== undefined) {
        rejections.push({
          document: label,
          index: indexes[i],
          serialNumber: event.data.serialNumber,
          reason,
        });
        continue;
      }
      this.seen.set(event.eventId, { document: label, index: indexes[i], readings });
      pending.push({ message, event, index: indexes[i], readings });
    }
    const size = this.opts.batchSize ?? 500;
    for (let i = 0; i < pending.length; i += size) {
      const batch = pending.slice(i, i + size);
      await this.opts.publish(batch.map((p) => p.message));
      for (const { event, index, readings } of batch) {
        this.opts.published?.remember(event.data.serialNumber, {
          eventId: event.eventId,
          occurredAt: event.occurredAt,
          document: label,
          index,
          readings,
        });
      }
    }
    const drops = dropped.map((d) => ({ document: label, ...d }));
    const entry = {
      label,
      equipment: doc.equipment.length,
      published: pending.length,
      duplicates,
      conflicts: conflicts.length,
      unchanged,
      rejected: rejections.length,
      dropped: drops.length,
    };
    this.summary.documents.push(entry);
    this.summary.published += pending.length;
    this.summary.duplicates += duplicates;
    this.summary.unchanged += unchanged;
    this.summary.conflicts.push(...conflicts);
    this.summary.rejected.push(...rejections);
    this.summary.dropped.push(...drops);
    return entry;
  }

  fail(label: string, error: unknown): void {
    // Not `instanceof Error`: errors of node's own modules may come from another realm (jest's sandbox).
    const message = (error as { message?: unknown } | undefined)?.message;
    this.summary.failed.push({
      document: label,
      error: typeof message === 'string' ? message : String(error),
    });
  }

  result(extra: Pick<ImportSummary, 'poll' | 'error'> = {}): ImportSummary {
    return { ...this.summary, ...extra };
  }
}

/**
 * Reads one fleet document file; `.json`/`.xml` decide the format, anything else is sniffed. A file over
 * `maxBytes` is refused before it is read (IsoParseError), and so is one that grows past it while read.
 */
export async function readFleetFile(path: string, maxBytes = MAX_DOCUMENT_BYTES): Promise<FleetDocument> {
  const ext = extname(path).toLowerCase();
  const kind = ext === '.json' ? 'json' : ext === '.xml' ? 'xml' : undefined;
  const handle = await open(path, 'r');
  let text: string | undefined;
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) throw new IsoParseError(tooLargeMessage(maxBytes, size));
    text = await readBounded(handle.createReadStream({ autoClose: false }), maxBytes);
  } finally {
    await handle.close();
  }
  if (text === undefined) throw new IsoParseError(tooLargeMessage(maxBytes));
  return parseFleetDocument(text, kind);
}

/** Imports fleet snapshot files; an unreadable file is reported in `failed` and the others still go. */
export async function importFleetFiles(paths: string[], opts: ImportOptions): Promise<ImportSummary> {
  const run = new FleetImport(opts);
  for (const path of paths) {
    let doc: FleetDocument;
    try {
      doc = await readFleetFile(path, opts.maxDocumentBytes);
    } catch (e) {
      run.fail(path, e);
      continue;
    }
    await run.add(path, doc);
  }
  return run.result();
}

/**
 * Polls the endpoint page by page and publishes each page before fetching the next. A feed failure
 * (IsoFetchError) ends the poll and lands in `error`, with the pages before it counted; a publish
 * failure is thrown.
 */
export async function importFleetEndpoint(
  poller: PollerOptions,
  opts: ImportOptions,
): Promise<ImportSummary> {
  const run = new FleetImport(opts);
  try {
    const poll = await pollFleet(poller, async (page) => {
      await run.add(`page ${page.number} (${displayUrl(page.url)})`, page.document);
    });
    return run.result({ poll });
  } catch (e) {
    if (e instanceof IsoFetchError) return run.result({ error: e.message });
    throw e;
  }
}
