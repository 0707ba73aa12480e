import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { mapEquipment } from './map';
import { parseFleetDocument } from './parse';
import { displayUrl, IsoFetchError, pollFleet, type PollerOptions, type PollResult } from './poller';
import type { FleetDocument, MapOptions, RejectedEquipment, TelematicsSnapshotEvent } from './types';

/** One Kafka record for the telematics topic: key = serialNumber (EVENTS.md), value = the JSON envelope. */
export interface TelematicsMessage {
  key: string;
  value: string;
}

/** Writes records to the telematics topic; resolves once they are acknowledged. */
export type PublishMessages = (messages: TelematicsMessage[]) => Promise<void>;

/** Input messages are at most 1 MiB (EVENTS.md). */
export const MAX_EVENT_BYTES = 1024 * 1024;

export interface ImportOptions extends MapOptions {
  publish: PublishMessages;
  /** Records per publish call (default 500). */
  batchSize?: number;
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
  rejected: number;
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
  /** Same id as an earlier entry of this import, other readings: reported, never published. */
  conflicts: ImportConflict[];
  rejected: ImportRejection[];
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
      conflicts: [],
      rejected: [],
      failed: [],
    };
  }

  async add(label: string, doc: FleetDocument): Promise<ImportedDocument> {
    const { events, indexes, rejected } = mapEquipment(doc, {
      dealerId: this.opts.dealerId,
      source: this.opts.source,
    });
    const rejections: ImportRejection[] = rejected.map((r) => ({ document: label, ...r }));
    const conflicts: ImportConflict[] = [];
    const messages: TelematicsMessage[] = [];
    let duplicates = 0;
    for (const [i, event] of events.entries()) {
      const readings = readingsOf(event);
      const earlier = this.seen.get(event.eventId);
      if (earlier) {
        const differences = differencesOf(earlier.readings, readings);
        if (differences.length === 0) duplicates++;
        else {
          conflicts.push({
            document: label,
            index: indexes[i],
            serialNumber: event.data.serialNumber,
            occurredAt: event.occurredAt,
            eventId: event.eventId,
            first: { document: earlier.document, index: earlier.index },
            differences,
          });
        }
        continue;
      }
      const message = toTelematicsMessage(event);
      const bytes = Buffer.byteLength(message.value, 'utf8');
      if (bytes > MAX_EVENT_BYTES) {
        rejections.push({
          document: label,
          index: indexes[i],
          serialNumber: event.data.serialNumber,
          reason: `event is ${bytes} bytes, over the ${MAX_EVENT_BYTES}-byte message limit`,
        });
        continue;
      }
      this.seen.set(event.eventId, { document: label, index: indexes[i], readings });
      messages.push(message);
    }
    const size = this.opts.batchSize ?? 500;
    for (let i = 0; i < messages.length; i += size) await this.opts.publish(messages.slice(i, i + size));
    const entry = {
      label,
      equipment: doc.equipment.length,
      published: messages.length,
      duplicates,
      conflicts: conflicts.length,
      rejected: rejections.length,
    };
    this.summary.documents.push(entry);
    this.summary.published += messages.length;
    this.summary.duplicates += duplicates;
    this.summary.conflicts.push(...conflicts);
    this.summary.rejected.push(...rejections);
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

/** Reads one fleet document file; `.json`/`.xml` decide the format, anything else is sniffed. */
export async function readFleetFile(path: string): Promise<FleetDocument> {
  const ext = extname(path).toLowerCase();
  const kind = ext === '.json' ? 'json' : ext === '.xml' ? 'xml' : undefined;
  return parseFleetDocument(await readFile(path, 'utf8'), kind);
}

/** Imports fleet snapshot files; an unreadable file is reported in `failed` and the others still go. */
export async function importFleetFiles(paths: string[], opts: ImportOptions): Promise<ImportSummary> {
  const run = new FleetImport(opts);
  for (const path of paths) {
    let doc: FleetDocument;
    try {
      doc = await readFleetFile(path);
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
