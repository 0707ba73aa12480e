import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { waitFor } from './wait';

// The launcher users run (heap settings per command), in front of dist/apps/retention/src/main.js.
export const LAUNCHER = resolve(__dirname, '../../bin/retention');

export interface AppProcess {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  stop: () => Promise<number | null>;
}

/** Runs the built CLI through bin/retention (`npm run build` first) as a real child process with the given environment. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(LAUNCHER, args, { env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => done({ code, output }));
  });
}

/**
 * A port that is free now, below Linux's ephemeral range (32768+), so outgoing connections of the
 * stack's clients cannot take it between this check and the app's listen().
 */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** Starts `serve` and waits until it listens; stop() sends SIGTERM and waits for the exit code. */
export async function startApp(env: Record<string, string>): Promise<AppProcess> {
  const port = String(await freePort());
  const child = spawn(LAUNCHER, ['serve'], {
    env: { ...process.env, HTTP_PORT: port, ...env },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const baseUrl = `http://127.0.0.1:${env.HTTP_PORT ?? port}`;
  await Promise.race([
    waitFor('app to listen', () => fetch(`${baseUrl}/health`).then(() => true), 60_000),
    exited.then((code) => {
      throw new Error(`app exited with ${code}:\n${output}`);
    }),
  ]).catch((err: unknown) => {
    child.kill('SIGKILL');
    throw err;
  });
  return {
    child,
    baseUrl,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
