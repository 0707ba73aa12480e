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
  firstSeenAt: number;
  eventId: string;
  occurrences: EventStamp[];
  /** Listed (without clearedAt) by the latest snapshot that reported a list. */
  present: boolean;
  /** Set by an absence (until the code comes back) or an explicit clear (for good). */
  clearedAt?: number;
}

const toFault = ({ present: _present, clearedAt, ...e }: Episode): ActiveFault =>
  clearedAt === undefined ? e : { ...e, clearedAt };

/**
 * Folds snapshots (sorted by event time) into fault episodes, one per code at a time:
 * - an episode starts when a code is listed without `clearedAt`; `firstSeenAt` is the entry's `firstSeenAt`
 *   when given, else the snapshot time, and `eventId` that snapshot;
 * - every snapshot listing the code after it was absent is an occurrence (the first listing included);
 *   `severity` is the latest listing's;
 * - a snapshot with a `faultCodes` list that no longer lists the code sets `clearedAt` to that snapshot's time;
 *   a later listing reopens the same episode (an intermittent fault: FAULT_WITHOUT_VISIT counts the repeats);
 * - once a code has come back (two occurrences or more), an absence no longer sets `clearedAt`: the episode
 *   stays open, so its repeats stay visible to FAULT_WITHOUT_VISIT after the code went quiet (a cleared fault
 *   is dropped from the rules' as-of view). Decided from the snapshots up to the absence only, so the state
 *   folded from later snapshots shows the same as of every earlier instant (no look-ahead);
 * - an entry with `clearedAt` closes the episode (`clearedAt` = the snapshot time, when the pipeline learnt it,
 *   unless an absence had already cleared it earlier); a later listing starts a new episode;
 * - a snapshot without any `faultCodes` list changes nothing.
 * Result sorted by firstSeenAt, then code.
 */
export function foldFaults(snapshots: readonly FaultSnapshot[]): ActiveFault[] {
  const open = new Map<string, Episode>();
  const closed: Episode[] = [];
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
      ep.clearedAt = undefined;
      ep.severity = f.severity;
    }
    for (const [code, ep] of open) {
      if (listed.has(code)) continue;
      if (ep.present) {
        ep.present = false;
        if (ep.occurrences.length < 2) ep.clearedAt = s.at; // an intermittent fault stays open
      }
      if (cleared.has(code)) {
        ep.clearedAt ??= s.at;
        closed.push(ep);
        open.delete(code);
      }
    }
  }
  return [...closed, ...open.values()]
    .map(toFault)
    .sort((a, b) => a.firstSeenAt - b.firstSeenAt || byId(a.code, b.code));
}
