import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support';

// Preloaded into the CLI through RETENTION_NODE_ARGS: reports the node flags and V8 heap limit it got.
const probe = join(mkdtempSync(join(tmpdir(), 'rp-launcher-')), 'heap-probe.js');
writeFileSync(
  probe,
  `const v8 = require('v8');
   process.stderr.write('probe=' + JSON.stringify({ argv: process.execArgv,
     limitMb: Math.round(v8.getHeapStatistics().heap_size_limit / 1048576) }) + '\\n');`,
);

async function probed(args: string[], env: Record<string, string> = {}) {
  const { code, output } = await runCli(args, { RETENTION_NODE_ARGS: `--require ${probe}`, ...env });
  expect(code).toBe(0);
  const m = /probe=(.*)/.exec(output);
  if (!m) throw new Error(`the probe did not report:\n${output}`);
  const { argv, limitMb } = JSON.parse(m[1]) as { argv: string[]; limitMb: number };
  return { heapFlags: argv.filter((a) => a !== '--require' && a !== probe), limitMb, output };
}

describe('bin/retention (the launcher)', () => {
  it('gives serve and replay a tighter heap growth, leaves other commands to Node, and runs the command', async () => {
    const replay = await probed(['replay', '--help']);
    expect(replay.heapFlags).toEqual(['--heap-growing-percent=100']);
    expect(replay.output).toContain('replay input topics into an isolated schema');
    const serve = await probed(['serve', '--help']);
    expect(serve.heapFlags).toEqual(['--heap-growing-percent=100']);
    expect(serve.output).toContain('run the roles named in ROLES');
    for (const command of ['topics', 'backtest', 'simulate']) {
      expect((await probed([command, '--help'])).heapFlags).toEqual([]);
    }
  });

  it('RETENTION_HEAP_OPTS replaces the default heap flags, and V8 applies them', async () => {
    const own = await probed(['replay', '--help'], { RETENTION_HEAP_OPTS: '' });
    expect(own.heapFlags).toEqual([]);
    const capped = await probed(['replay', '--help'], { RETENTION_HEAP_OPTS: '--max-old-space-size=128' });
    expect(capped.heapFlags).toEqual(['--max-old-space-size=128']);
    expect(capped.limitMb).toBeLessThan(200);
    expect(own.limitMb).toBeGreaterThan(capped.limitMb);
  });

  it("passes the arguments through and returns the command's exit code", async () => {
    const { code, output } = await runCli(['replay', '--from', 'yesterday'], {});
    expect(code).not.toBe(0);
    expect(output).toContain("option '--from <position>' argument 'yesterday' is invalid");
  });
});
