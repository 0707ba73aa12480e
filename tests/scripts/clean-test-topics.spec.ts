import { uniqueSuffix } from '../support/test-config';
import { isStaleTestTopic } from '../../scripts/clean-test-topics';

describe('isStaleTestTopic', () => {
  const now = Date.UTC(2026, 10, 23, 12);
  const suffixAt = (ms: number) => `${ms.toString(36)}a1b2c3`;

  it('removes test topics of runs older than 6 hours, never those of a run that may still be going on', () => {
    const old = now - 6 * 3_600_000 - 1;
    const recent = now - 6 * 3_600_000 + 60_000;
    expect(isStaleTestTopic(`telematics.snapshots.${suffixAt(old)}`, now)).toBe(true);
    expect(isStaleTestTopic(`service.events.${suffixAt(old)}.dlq`, now)).toBe(true);
    expect(isStaleTestTopic(`telematics.snapshots.${suffixAt(recent)}`, now)).toBe(false);
    expect(isStaleTestTopic(`warranty.events.${uniqueSuffix()}`, Date.now())).toBe(false);
  });

  it('never touches the pipeline topics or other names', () => {
    for (const t of [
      'telematics.snapshots',
      'service.events.dlq',
      'bench.telematics.x',
      `other.${suffixAt(0)}`,
    ])
      expect(isStaleTestTopic(t, now)).toBe(false);
  });
});
