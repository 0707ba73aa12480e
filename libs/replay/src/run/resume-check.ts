import { createHash } from 'node:crypto';
import type { RuleSet } from '@rp/risk';
import { describePosition, parsePosition, ReplayOptionError, type Position } from '../plan/position';

/** JSON with object keys sorted at every level: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of the rule set's content (not its id@version: edited thresholds under one version differ). */
export const ruleSetHash = (r: RuleSet): string =>
  createHash('sha256').update(canonicalJson(r)).digest('hex').slice(0, 16);

/** A position in one canonical text (offsets sorted), so equal positions compare equal. */
export function canonicalPosition(p: Position): string {
  if (p.kind !== 'offsets') return describePosition(p);
  return Object.keys(p.offsets)
    .sort()
    .map((k) => `${k}=${p.offsets[k]}`)
    .join(',');
}

export interface RunSpec {
  topics: string[];
  from: Position;
  to: Position;
  /** Absent: the rule set does not matter (a rebuild of the projections decides nothing). */
  ruleSet?: RuleSet;
}

export interface StoredSpec {
  topics: string[];
  fromSpec: string;
  toSpec: string;
  ruleSet: RuleSet;
  ruleSetVersion: string;
}

const stored = (spec: string): string => {
  try {
    return canonicalPosition(parsePosition('stored', spec));
  } catch {
    return spec;
  }
};

/**
 * What differs between the plan a replay was started with and the options given now (pure): one
 * phrase per difference, empty when the run may be resumed as it is.
 */
export function specDifferences(
  run: StoredSpec,
  given: RunSpec,
  label: { topic: (name: string) => string; ruleSet: string },
): string[] {
  const out: string[] = [];
  const topicsOf = (list: string[]) => [...new Set(list)].sort().map(label.topic).join(',');
  if (topicsOf(run.topics) !== topicsOf(given.topics)) {
    out.push(`--topics ${topicsOf(run.topics)} (now ${topicsOf(given.topics)})`);
  }
  for (const [flag, was, now] of [
    ['--from', run.fromSpec, given.from],
    ['--to', run.toSpec, given.to],
  ] as const) {
    const n = canonicalPosition(now);
    if (stored(was) !== n) out.push(`${flag} ${was} (now ${describePosition(now)})`);
  }
  if (given.ruleSet && ruleSetHash(run.ruleSet) !== ruleSetHash(given.ruleSet)) {
    const nowVersion = `${given.ruleSet.id}@${given.ruleSet.version}`;
    const same = nowVersion === run.ruleSetVersion ? ', same id@version but different content' : '';
    out.push(
      `rule set ${run.ruleSetVersion} #${ruleSetHash(run.ruleSet)} (now ${label.ruleSet}: ${nowVersion} #${ruleSetHash(given.ruleSet)}${same})`,
    );
  }
  return out;
}

/** Refuses a resume whose options differ from the stored plan, naming each difference and the way out. */
export function assertSameSpec(
  name: string,
  run: StoredSpec,
  given: RunSpec,
  label: { topic: (n: string) => string; ruleSet: string },
  mode: 'replay' | 'rebuild' = 'replay',
): void {
  const diff = specDifferences(run, given, label);
  if (diff.length === 0) return;
  const flag = mode === 'rebuild' ? '--rebuild ' : '';
  throw new ReplayOptionError(
    `${mode} "${name}" was started with ${diff.join('; ')}. Run it with the options it was started with, ` +
      `drop it first (replay --drop --name ${name}), or choose another --name (${flag}--name <new>)`,
  );
}
