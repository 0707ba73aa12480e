/** What a long-running poller remembers of the snapshot it last published for one machine. */
export interface LastPublished {
  eventId: string;
  occurredAt: string;
  /** Where it came from (`page N (url)`), for conflict reports. */
  document: string;
  index: number;
  readings: Record<string, unknown>;
}

/**
 * The last published snapshot per machine (serial number), kept for the lifetime of a scheduled poller so
 * a cycle does not send unchanged snapshots to the input topic again. One entry per machine: memory is
 * bounded by the fleet size. In memory only: after a restart the first cycle sends each snapshot once more
 * (downstream drops it by event id).
 */
export class PublishedSnapshots {
  private readonly last = new Map<string, LastPublished>();

  get(serialNumber: string): LastPublished | undefined {
    return this.last.get(serialNumber);
  }

  /** Keeps the newest reading of the machine; an older one published later does not replace it. */
  remember(serialNumber: string, entry: LastPublished): void {
    const current = this.last.get(serialNumber);
    if (!current || Date.parse(entry.occurredAt) >= Date.parse(current.occurredAt)) {
      this.last.set(serialNumber, entry);
    }
  }

  get size(): number {
    return this.last.size;
  }
}
