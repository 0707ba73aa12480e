import type { FaultSeverity, RawScalar } from './types';
import { textOf } from './values';

// OEM words for fault severity, mapped onto the contract's five levels.
const WORD_GROUPS: [FaultSeverity, string[]][] = [
  ['info', ['info', 'information', 'informational', 'notice']],
  ['low', ['low', 'minor']],
  ['medium', ['medium', 'moderate', 'warning', 'warn']],
  ['high', ['high', 'major', 'severe', 'error']],
  ['critical', ['critical', 'fatal', 'emergency', 'stop', 'shutdown']],
];
const WORDS = new Map(WORD_GROUPS.flatMap(([level, words]) => words.map((w) => [w, level] as const)));

/**
 * Maps an OEM fault severity onto info|low|medium|high|critical.
 * - words: see WORD_GROUPS above (case-insensitive), e.g. `Warning` → medium, `Shutdown` → critical;
 * - numbers (assumed 1 = least severe, as OEM levels usually count): 0 → info, 1 → low, 2 → medium, 3 → high, ≥ 4 → critical;
 * - absent or unrecognised → low: the fault is kept, but a guess never raises an alarm.
 */
export function mapSeverity(raw: RawScalar | undefined): FaultSeverity {
  const s = textOf(raw)?.toLowerCase();
  if (s === undefined) return 'low';
  const word = WORDS.get(s);
  if (word) return word;
  if (!/^\d+$/.test(s)) return 'low';
  const n = Number(s);
  if (n === 0) return 'info';
  if (n === 1) return 'low';
  if (n === 2) return 'medium';
  return n === 3 ? 'high' : 'critical';
}
