import { createHash } from 'node:crypto';

/** Ids already computed: an open episode is found again at every instant it is evaluated at. */
const known = new Map<string, string>();
const KNOWN_MAX = 20_000;

/** Deterministic id of a decision or suppression: sha256 of the pipe-joined parts, hex. */
export function episodeId(parts: {
  dealerId: string;
  customerId: string;
  serialNumber: string | null;
  code: string;
  ruleVersion: string;
  episode: string;
}): string {
  const key = [
    parts.dealerId,
    parts.customerId,
    parts.serialNumber ?? '',
    parts.code,
    parts.ruleVersion,
    parts.episode,
  ].join('|');
  let id = known.get(key);
  if (id === undefined) {
    id = createHash('sha256').update(key, 'utf8').digest('hex');
    if (known.size >= KNOWN_MAX) known.clear();
    known.set(key, id);
  }
  return id;
}
