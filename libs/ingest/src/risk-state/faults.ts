import type { ActiveFault, EventStamp } from '@rp/risk';
import type { FaultCodeJson } from './machine-state.sql';
import { byId } from './sql-helpers';

/** One snapshot's fault information, in event-time order. */
export interface FaultSnapshot extends EventStamp {
  /** False when the snapshot carried no `faultCodes` list at all: it says nothing about faults. */
  reportsFaults: boolean;
  faultCodes: readonly FaultCodeJson[];
}

interface Episode {
  code: string;
  severity: ActiveFault['severity'];
  /** Built on the first change of severity. */
  severities?: { at: number; severity: ActiveFault['severity'] }[];
  firstSeenAt: number;
  eventId: string;
  occurrences: EventStamp[];
  /** Listed (without clearedAt) by the latest snapshot that reported a list. */
  present: boolean;
  lapsedAt?: number;
}

const toFault = (
  { present: _present, severities, lapsedAt, ...e }: Episode,
  clearedAt?: number,
): ActiveFault => ({
  ...e,
  ...(severities === undefined ? {} : { severities }),
  ...(lapsedAt === undefined ? {} : { lapsedAt }),
  ...(clearedAt === undefined ? {} : { clearedAt }),
});

/**
 * Folds snapshots (sorted by event time) into fault episodes, one per code at a time. An episode keeps its
 * history (occurrences, severity changes, lapse, clear), so the rules' as-of view shows it at every instant
 * exactly as the episodes folded from the snapshots up to that instant would (no look-ahead):
 * - an episode starts when a code is listed without `clearedAt`; `firstSeenAt` is the entry's `firstSeenAt`
 *   when given, else the snapshot time, and `eventId` that snapshot;
 * - every snapshot listing the code after it was absent is an occurrence (the first listing included);
 *   `severity` is the latest listing's, `severities` each change of it (absent when it never changed);
 * - the first snapshot with a `faultCodes` list that no longer lists a code listed once sets `lapsedAt`: the
 *   fault is cleared from then until it is listed again (an intermittent fault: FAULT_WITHOUT_VISIT counts the
 *   repeats);
 * - once a code has come back (two occurrences or more), an absence no longer clears it: the episode stays
 *   open, so its repeats stay visible to FAULT_WITHOUT_VISIT after the code went quiet;
 * - an entry with `clearedAt` closes the episode for good: `clearedAt` = the snapshot time (when the pipeline
 *   learnt it); a later listing starts a new episode;
 * - a snapshot without any `faultCodes` list changes nothing.
 * Result sorted by firstSeenAt, then code.
 */
export function foldFaults(snapshots: readonly FaultSnapshot[]): ActiveFault[] {
  const open = new Map<string, Episode>();
  const closed: ActiveFault[] = [];
  for (const s of snapshots) {
    if (!s.reportsFaults) continue;
    if (s.faultCodes.length === 0 && open.size === 0) continue; // nothing listed, nothing open: no change
    const listed = new Map<string, FaultCodeJson>();
    const cleared = new Set<string>();
    for (const f of s.faultCodes) {
      if (f.clearedAt === undefined) listed.set(f.code, f);
      else cleared.add(f.code);
    }
    for (const [code, f] of listed) {
      const ep = open.get(code);
      if (ep === undefined) {
        const firstSeenAt = f.firstSeenAt === undefined ? s.at : Date.parse(f.firstSeenAt);
        const stamp = { at: s.at, eventId: s.eventId };
        open.set(code, {
          code,
          severity: f.severity,
          firstSeenAt,
          eventId: s.eventId,
          occurrences: [stamp],
          present: true,
        });
        continue;
      }
      if (!ep.present) ep.occurrences.push({ at: s.at, eventId: s.eventId });
      ep.present = true;
      if (f.severity !== ep.severity) {
        ep.severities ??= [{ at: ep.occurrences[0].at, severity: ep.severity }];
        ep.severities.push({ at: s.at, severity: f.severity });
        ep.severity = f.severity;
      }
    }
    for (const [code, ep] of open) {
      if (listed.has(code)) continue;
      if (cleared.has(code)) {
        closed.push(toFault(ep, s.at));
        open.delete(code);
        continue;
      }
      // The first listing ended: a code listed once lapses (an intermittent one stays open).
      if (ep.present && ep.occurrences.length === 1) ep.lapsedAt = s.at;
      ep.present = false;
    }
  }
  return [...closed, ...[...open.values()].map((ep) => toFault(ep))].sort(
    (a, b) => a.firstSeenAt - b.firstSeenAt || byId(a.code, b.code),
  );
}
