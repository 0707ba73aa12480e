import { createHash } from 'node:crypto';

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
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
