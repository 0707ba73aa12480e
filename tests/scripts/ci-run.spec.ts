import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

interface Run {
  /** Jest's JSON result, or undefined when jest wrote none. */
  jest?: {
    numPassedTests: number;
    numFailedTests: number;
    numRuntimeErrorTestSuites: number;
    numTotalTests: number;
  };
  /** What scripts/test.sh records for the static checks, or undefined when it recorded nothing. */
  staticFailures?: string;
  npmExit: number;
}

/**
 * .ci/run in a scratch copy of the repository's layout, with `npm test` replaced by a stub that leaves the
 * given results behind: its last line and exit code.
 */
function ciRun(r: Run): { line: string; exit: number } {
  const dir = mkdtempSync(join(tmpdir(), 'ci-run-'));
  try {
    mkdirSync(join(dir, '.ci'));
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'reports'));
    copyFileSync(join(ROOT, '.ci', 'run'), join(dir, '.ci', 'run'));
    const writes = [
      r.jest ? `echo '${JSON.stringify(r.jest)}' > reports/jest.json` : '',
      r.staticFailures !== undefined ? `echo '${r.staticFailures}' > reports/static-failures` : '',
    ];
    writeFileSync(join(dir, 'bin', 'npm'), `#!/usr/bin/env bash\n${writes.join('\n')}\nexit ${r.npmExit}\n`);
    chmodSync(join(dir, 'bin', 'npm'), 0o755);
    let out = '';
    let exit = 0;
    try {
      out = execFileSync('bash', [join(dir, '.ci', 'run')], {
        env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}` },
        stdio: ['ignore', 'pipe', 'ignore'],
      }).toString();
    } catch (err) {
      const e = err as { status: number; stdout: Buffer };
      out = e.stdout.toString();
      exit = e.status;
    }
    const lines = out.trim().split('\n');
    return { line: lines[lines.length - 1], exit };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const green = { numPassedTests: 980, numFailedTests: 0, numRuntimeErrorTestSuites: 0, numTotalTests: 980 };

describe('.ci/run summary line', () => {
  it('a green run reads N passed, 0 failed and exits 0', () => {
    expect(ciRun({ jest: green, staticFailures: '0', npmExit: 0 })).toEqual({
      line: '980 passed, 0 failed',
      exit: 0,
    });
  });

  it('failed static checks (lint, types, compose) count as failures, though every test passed', () => {
    expect(ciRun({ jest: green, staticFailures: '2', npmExit: 1 })).toEqual({
      line: '980 passed, 2 failed',
      exit: 1,
    });
  });

  it('a run that failed outside jest, with no static record, never reads 0 failed', () => {
    expect(ciRun({ jest: green, npmExit: 1 })).toEqual({ line: '980 passed, 1 failed', exit: 1 });
  });

  it('failed tests and suites that crashed are counted', () => {
    const jest = { numPassedTests: 970, numFailedTests: 8, numRuntimeErrorTestSuites: 2, numTotalTests: 978 };
    expect(ciRun({ jest, staticFailures: '0', npmExit: 1 })).toEqual({
      line: '970 passed, 10 failed',
      exit: 1,
    });
  });

  it('no jest result, or a run of no test, is a failure', () => {
    expect(ciRun({ npmExit: 1 })).toEqual({ line: '0 passed, 1 failed', exit: 1 });
    const none = { numPassedTests: 0, numFailedTests: 0, numRuntimeErrorTestSuites: 0, numTotalTests: 0 };
    expect(ciRun({ jest: none, staticFailures: '0', npmExit: 0 })).toEqual({
      line: '0 passed, 1 failed',
      exit: 1,
    });
  });
});
