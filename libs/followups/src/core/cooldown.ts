import { DAY_MS, type LastOutcome } from './task';

/**
 * True when the same reason was closed with an outcome within `cooldownDays` before the detection.
 * An outcome recorded after the detection also suppresses it: the signal predates work already done
 * (a replayed or late decision must not reopen it).
 */
export function inCooldown(last: LastOutcome | null, detectedAtMs: number, cooldownDays: number): boolean {
  return last !== null && last.closedAtMs >= detectedAtMs - cooldownDays * DAY_MS;
}
