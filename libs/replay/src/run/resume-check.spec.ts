import { DEFAULT_RULE_SET, type RuleSet } from '@rp/risk';
import { ReplayOptionError } from '../plan/position';
import { assertSameSpec, canonicalJson, ruleSetHash, specDifferences, type StoredSpec } from './resume-check';

const kinds: Record<string, string> = { 'in.tel': 'telematics', 'in.war': 'warranty' };
const label = { topic: (n: string) => kinds[n] ?? n, ruleSet: '--rule-set' };
const stored: StoredSpec = {
  topics: ['in.tel'],
  fromSpec: 'beginning',
  toSpec: 'in.tel:1=20,in.tel:0=10',
  ruleSet: DEFAULT_RULE_SET,
  ruleSetVersion: `${DEFAULT_RULE_SET.id}@${DEFAULT_RULE_SET.version}`,
};
const same = {
  topics: ['in.tel'],
  from: { kind: 'beginning' as const },
  to: { kind: 'offsets' as const, offsets: { 'in.tel:0': '10', 'in.tel:1': '20' } },
  ruleSet: JSON.parse(JSON.stringify(DEFAULT_RULE_SET)) as RuleSet,
};

/** The same rule set with one threshold edited, id and version unchanged. */
function edited(r: RuleSet): RuleSet {
  const copy = JSON.parse(canonicalJson(r)) as Record<string, unknown>;
  const path = findNumber(copy);
  if (!path) throw new Error('the default rule set has no number to edit');
  path.obj[path.key] = (path.obj[path.key] as number) + 1;
  return copy as unknown as RuleSet;
}
function findNumber(o: unknown): { obj: Record<string, unknown>; key: string } | undefined {
  if (o === null || typeof o !== 'object') return undefined;
  for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
    if (typeof v === 'number') return { obj: o as Record<string, unknown>, key: k };
    const inner = findNumber(v);
    if (inner) return inner;
  }
  return undefined;
}

describe('resuming a replay with other options', () => {
  it('finds no difference for the same options (offsets in another order, rule set keys reordered)', () => {
    expect(specDifferences(stored, same, label)).toEqual([]);
    expect(ruleSetHash(same.ruleSet)).toBe(ruleSetHash(DEFAULT_RULE_SET));
  });

  it('names every option that differs', () => {
    const diff = specDifferences(
      stored,
      {
        topics: ['in.war'],
        from: { kind: 'timestamp', ms: Date.UTC(2025, 0, 1) },
        to: { kind: 'end' },
        ruleSet: same.ruleSet,
      },
      label,
    );
    expect(diff).toEqual([
      '--topics telematics (now warranty)',
      '--from beginning (now 2025-01-01T00:00:00.000Z)',
      '--to in.tel:1=20,in.tel:0=10 (now end)',
    ]);
  });

  it('tells a rule set edited under the same id@version apart by its content', () => {
    const changed = edited(DEFAULT_RULE_SET);
    const [diff] = specDifferences(stored, { ...same, ruleSet: changed }, label);
    expect(diff).toBe(
      `rule set ${stored.ruleSetVersion} #${ruleSetHash(DEFAULT_RULE_SET)} (now --rule-set: ${stored.ruleSetVersion} ` +
        `#${ruleSetHash(changed)}, same id@version but different content)`,
    );
    expect(ruleSetHash(changed)).not.toBe(ruleSetHash(DEFAULT_RULE_SET));
    // A rebuild decides nothing: its rule set is not compared.
    expect(specDifferences(stored, { ...same, ruleSet: undefined }, label)).toEqual([]);
  });

  it('refuses with a message saying what differs and how to go on', () => {
    const refuse = () => assertSameSpec('q3', stored, { ...same, topics: ['in.war'] }, label);
    expect(refuse).toThrow(ReplayOptionError);
    expect(refuse).toThrow(
      'replay "q3" was started with --topics telematics (now warranty). Run it with the options it was started with, ' +
        'drop it first (replay --drop --name q3), or choose another --name (--name <new>)',
    );
    expect(() => assertSameSpec('q3', stored, same, label)).not.toThrow();
  });
});
