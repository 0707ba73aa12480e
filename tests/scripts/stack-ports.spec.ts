import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const COMMON = join(__dirname, '..', '..', 'scripts', 'stack', 'common.sh');

/** Runs scripts/stack/common.sh's port_reserved <port> <list> and says whether it found the port. */
function reserved(port: number, list: string): boolean {
  const home = mkdtempSync(join(tmpdir(), 'stack-ports-'));
  try {
    const out = execFileSync(
      'bash',
      [
        '-c',
        'source "$1"; if port_reserved "$2" "$3"; then echo yes; else echo no; fi',
        '_',
        COMMON,
        String(port),
        list,
      ],
      { env: { ...process.env, STACK_HOME: home }, encoding: 'utf8' },
    );
    return out.trim() === 'yes';
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

describe('stack scripts: reserved ports (the kernel must not hand our ports to outgoing connections)', () => {
  it('finds a port listed alone, first, last or inside a range', () => {
    expect(reserved(59092, '59092')).toBe(true);
    expect(reserved(59092, '8080,59092')).toBe(true);
    expect(reserved(59093, '55432,56379,59092-59093')).toBe(true);
    expect(reserved(59092, '59000-59100,60000')).toBe(true);
  });

  it('does not find a port next to a range, in an empty list or only as a prefix of another', () => {
    expect(reserved(59094, '55432,56379,59092-59093')).toBe(false);
    expect(reserved(59091, '59092-59093')).toBe(false);
    expect(reserved(59092, '')).toBe(false);
    expect(reserved(5909, '59092')).toBe(false);
    expect(reserved(59092, '5909')).toBe(false);
  });
});
