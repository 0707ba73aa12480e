import type { MachineSale } from '@rp/risk';
import type { MachineScopeRow, TransferJson } from './scope.sql';

/** A machine as seen by one requested customer: its owner now, or the seller it was transferred away from. */
export interface MachineEntry {
  customerId: string;
  row: MachineScopeRow;
  sold?: MachineSale;
  /** Start of the customer's first ownership (delivery or transfer to them); undefined when unknown. */
  ownedSince?: number;
  /** That ownership began with a transfer to the customer (a used machine), not with the delivery. */
  acquiredByTransfer?: boolean;
  /** Branch of the event that began the customer's (latest) ownership: the transfer to them, else the delivery. */
  branch?: string;
}

/** The branch named by the transfer that last made `customerId` the owner before `untilMs`, else the delivery's. */
function ownershipBranch(row: MachineScopeRow, customerId: string, untilMs: number): string | undefined {
  let bought: TransferJson | undefined;
  for (const t of row.transfers) if (t.to === customerId && t.at < untilMs) bought = t;
  if (bought !== undefined) return bought.branch ?? undefined;
  const delivered = row.transfers.length === 0 ? row.customer_id : row.transfers[0].from;
  return delivered === customerId ? (row.delivered_branch_id ?? undefined) : undefined;
}

/**
 * When `customerId` first owned the machine: its first interval's start (a transfer to them), else the
 * delivery; and whether that start was a transfer.
 */
function ownership(
  row: MachineScopeRow,
  customerId: string,
): { ownedSince?: number; acquiredByTransfer?: boolean } {
  const from = ownershipIntervals(row, new Set([customerId]))[0]?.fromMs ?? null;
  if (from !== null) return { ownedSince: from, acquiredByTransfer: true };
  return row.delivered_ms === null ? {} : { ownedSince: row.delivered_ms };
}

/** A period in which `customerId` owned the machine; null bounds are open. `from` inclusive, `to` exclusive. */
export interface OwnershipInterval {
  customerId: string;
  serialNumber: string;
  fromMs: number | null;
  toMs: number | null;
}

/**
 * The entries of one machine for the requested customers: the current owner (machines.customer_id) gets
 * it as owned; any other requested customer it was transferred away from gets it as sold, with the latest
 * such transfer. A customer who sold the machine and bought it back owns it (no `sold`).
 */
export function machineEntries(row: MachineScopeRow, wanted: ReadonlySet<string>): MachineEntry[] {
  const out: MachineEntry[] = [];
  if (row.customer_id !== null && wanted.has(row.customer_id))
    out.push({
      customerId: row.customer_id,
      row,
      ...ownership(row, row.customer_id),
      branch: ownershipBranch(row, row.customer_id, Infinity),
    });
  const lastSale = new Map<string, TransferJson>();
  for (const t of row.transfers) {
    if (t.from !== null && t.from !== row.customer_id && wanted.has(t.from)) lastSale.set(t.from, t);
  }
  for (const [customerId, t] of lastSale) {
    out.push({
      customerId,
      row,
      sold: { at: t.at, eventId: t.eventId, toCustomerId: t.to },
      ...ownership(row, customerId),
      branch: ownershipBranch(row, customerId, t.at),
    });
  }
  return out;
}

/**
 * Who owned the machine when, from its transfers in event-time order: before the first transfer its seller,
 * between transfers the buyer, after the last one the current owner (machines.customer_id, which also follows
 * deliveries). Only intervals of requested customers are returned.
 */
export function ownershipIntervals(row: MachineScopeRow, wanted: ReadonlySet<string>): OwnershipInterval[] {
  const serialNumber = row.serial_number;
  const spans: OwnershipInterval[] = [];
  const ts = row.transfers;
  if (ts.length === 0) {
    if (row.customer_id !== null)
      spans.push({ customerId: row.customer_id, serialNumber, fromMs: null, toMs: null });
  } else {
    if (ts[0].from !== null)
      spans.push({ customerId: ts[0].from, serialNumber, fromMs: null, toMs: ts[0].at });
    ts.forEach((t, i) => {
      const last = i === ts.length - 1;
      const customerId = last ? (row.customer_id ?? t.to) : t.to;
      spans.push({ customerId, serialNumber, fromMs: t.at, toMs: last ? null : ts[i + 1].at });
    });
  }
  return spans.filter((s) => wanted.has(s.customerId));
}
