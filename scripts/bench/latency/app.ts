import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { heapOpts } from '../cli';

const ROOT = resolve(__dirname, '../../..');
/** A private build: `nest build` empties its outDir, and other runs may be using dist/ meanwhile. */
const MAIN = resolve(ROOT, '.cache/bench-latency/dist/apps/retention/src/main.js');

/** `nest build` of the app (tsc builder, path aliases rewritten) into .cache/bench-latency/dist. */
export function buildApp(): void {
  const r = spawnSync('npx', ['nest', 'build', '--path', 'scripts/bench/latency/tsconfig.bench.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (r.status !== 0 || !existsSync(MAIN)) throw new Error('nest build failed');
}

async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise<boolean>((done) => {
      const probe = createServer();
      probe.once('error', () => done(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
    });
    if (free) return port;
  }
}

export interface RunningApp {
  pid: number;
  /** Base URL of its HTTP server (health, metrics). */
  url: string;
  output: () => string;
  stop: () => Promise<number | null>;
}

/**
 * Runs `node main.js serve` with `env` over this process's environment; resolves once /health answers.
 * `nodeArgs` go before the script (e.g. `--cpu-prof --cpu-prof-dir DIR`).
 */
export async function startApp(env: Record<string, string>, nodeArgs: string[] = []): Promise<RunningApp> {
  const port = String(await freePort());
  // The heap bin/retention serve runs with (the app is a bench build of its own, started without it).
  const child = spawn(process.execPath, [...heapOpts('serve'), ...nodeArgs, MAIN, 'serve'], {
    cwd: ROOT,
    env: { ...process.env, HTTP_HOST: '127.0.0.1', HTTP_PORT: port, ...env },
  });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${output}`);
    const up = await fetch(`http://127.0.0.1:${port}/health`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`app not healthy after 90 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    pid: child.pid!,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
