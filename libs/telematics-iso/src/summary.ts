import type { ImportRejection, ImportSummary } from './import-source';
import type { PollStop } from './poller';

const STOPS: Record<PollStop, string> = {
  'no-next-link': 'no next link',
  'next-is-current': 'the next link is the page itself',
  'next-already-read': 'the next link points to a page already read',
  'max-pages': 'page limit reached; the feed announces more',
};

/** The human summary `iso-import` prints: what was read, published and rejected, and why. */
export function formatImportSummary(s: ImportSummary, topic?: string): string {
  const lines = [`ISO 15143-3 import for dealer ${s.dealerId}`];
  if (s.poll || s.error !== undefined) {
    const stop = s.poll ? ` (stopped: ${STOPS[s.poll.stoppedBy]})` : '';
    lines.push(`  pages read: ${s.documents.length}${stop}`);
  } else {
    lines.push(`  documents read: ${s.documents.length}`);
  }
  lines.push(`  equipment entries: ${s.documents.reduce((n, d) => n + d.equipment, 0)}`);
  lines.push(`  events published: ${s.published}${topic ? ` to ${topic}` : ''}`);
  if (s.duplicates > 0) lines.push(`  duplicates skipped (already published in this run): ${s.duplicates}`);
  if (s.unchanged > 0) {
    lines.push(`  unchanged since an earlier poll (same or older reading; not sent again): ${s.unchanged}`);
  }
  if (s.conflicts.length > 0) {
    lines.push(
      `  conflicting entries (same machine and reading time as an earlier entry, other readings; not published): ${s.conflicts.length}`,
    );
    for (const c of s.conflicts) {
      lines.push(
        `    - ${c.document} #${c.index} serial ${c.serialNumber} at ${c.occurredAt}: differs from ${c.first.document} #${c.first.index} in ${c.differences.join(', ')}`,
      );
    }
  }
  lines.push(`  entries rejected: ${s.rejected.length}`);
  for (const r of s.rejected) lines.push(`    - ${r.document} #${r.index}${who(r)}: ${r.reason}`);
  if (s.dropped.length > 0) {
    lines.push(`  readings left out of published events: ${s.dropped.length}`);
    for (const d of s.dropped) lines.push(`    - ${d.document} #${d.index}${who(d)}: ${d.reason}`);
  }
  if (s.failed.length > 0) {
    lines.push(`  documents unreadable: ${s.failed.length}`);
    for (const f of s.failed) lines.push(`    - ${f.document}: ${f.error}`);
  }
  if (s.error !== undefined) lines.push(`  poll failed: ${s.error}`);
  return `${lines.join('\n')}\n`;
}

function who(r: ImportRejection): string {
  const names = [
    r.serialNumber && `serial ${r.serialNumber}`,
    r.equipmentId && `EquipmentID ${r.equipmentId}`,
  ];
  const known = names.filter(Boolean);
  return known.length ? ` ${known.join(', ')}` : '';
}
