/** A warranties row as the machine record reads it. */
export interface WarrantyRow {
  contract_id: string;
  coverage: string;
  starts_at: Date | null;
  ends_at: Date | null;
  expired_at: Date | null;
}

const STANDARD = 'standard';

/**
 * The machine's covers as the API lists them. The ingest stores a `warranty.expired` of the standard warranty on
 * the standard row itself, and one of another coverage as a row `<coverage>:expired` (no dates; expired_at =
 * the event's endedAt). That row is an expiry, not a contract: it is not listed; instead every listed cover of
 * that coverage whose term ended by then (ends_at <= endedAt) gets `expiredAt`.
 */
export function contractsOf(rows: readonly WarrantyRow[]) {
  const isExpiry = (w: WarrantyRow) => w.coverage !== STANDARD && w.contract_id === `${w.coverage}:expired`;
  const expiries = new Map<string, Date>();
  for (const w of rows) if (isExpiry(w) && w.expired_at) expiries.set(w.coverage, w.expired_at);
  const expiredAt = (w: WarrantyRow): Date | null => {
    if (w.coverage === STANDARD) return w.expired_at;
    const ended = expiries.get(w.coverage);
    return ended && w.ends_at && w.ends_at.getTime() <= ended.getTime() ? ended : null;
  };
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return rows
    .filter((w) => !isExpiry(w))
    .map((w) => ({
      contractId: w.contract_id,
      coverage: w.coverage,
      startsAt: iso(w.starts_at),
      endsAt: iso(w.ends_at),
      /** When the cover was reported expired (`warranty.expired`); null if it was not. */
      expiredAt: iso(expiredAt(w)),
    }));
}
