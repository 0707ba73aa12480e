import { archiveSchemaOf } from './archive';

describe('archiveSchemaOf', () => {
  it('names the archive after the live schema and the rebuild, with a hash of both', () => {
    const a = archiveSchemaOf('retention', 'rb');
    expect(a).toMatch(/^retention_before_rb_[0-9a-f]{8}$/);
    expect(archiveSchemaOf('retention', 'rb')).toBe(a); // stable: a resumed rebuild finds the same one
  });

  it('never returns the live schema, nor more than 63 characters, for a 63-character live schema', () => {
    const live = 'a'.repeat(63);
    for (const name of ['r1', 'x'.repeat(40)]) {
      const a = archiveSchemaOf(live, name);
      expect(a).not.toBe(live);
      expect(a.length).toBeLessThanOrEqual(63);
      expect(a).toContain(`_before_${name}_`);
    }
    expect(archiveSchemaOf(live, 'x'.repeat(40))).toMatch(new RegExp(`^a{6}_before_x{40}_[0-9a-f]{8}$`));
  });

  it('keeps two rebuild names that share a prefix apart, even when the live schema must be cut', () => {
    const live = 'retention_dealer_group_northern_europe_production'; // 49 characters
    const a = archiveSchemaOf(live, 'spring2025');
    const b = archiveSchemaOf(live, 'spring2026');
    expect(a).not.toBe(b);
    expect(a.length).toBe(63);
    expect(a).toMatch(/^retention_dealer_group_northern_euro_before_spring2025_[0-9a-f]{8}$/);
    expect(b).toMatch(/_before_spring2026_[0-9a-f]{8}$/);
  });

  it('gives different archives to different live schemas that share their first characters', () => {
    const p = 'p'.repeat(50);
    expect(archiveSchemaOf(`${p}_one`, 'rb')).not.toBe(archiveSchemaOf(`${p}_two`, 'rb'));
  });
});
