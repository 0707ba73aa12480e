import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { heapOpts } from './cli';
import type { WorkerMessage } from './ingest-worker';

export type WorkerDone = Extract<WorkerMessage, { type: 'done' }>;

/** The worker gave up; carries what it measured until then. */
export class WorkerFailed extends Error {
  constructor(readonly report: Extract<WorkerMessage, { type: 'error' }>) {
    super(`ingest worker failed after ${report.count ?? 0} events: ${report.message}`);
  }
}

export interface MemoryReport {
  /** VmHWM of the worker at the end of its run. */
  peakMb: number;
  /** Mean and max VmRSS (sampled every 250 ms) in the first and second half of the measured interval. */
  firstHalf: { meanMb: number; maxMb: number };
  secondHalf: { meanMb: number; maxMb: number };
}

const ROOT = resolve(__dirname, '../..');

/** VmRSS / VmHWM of a live process in MB (Linux /proc). */
function procMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

function halves(
  samples: { at: number; mb: number }[],
  from: number,
  to: number,
): MemoryReport['firstHalf'][] {
  const mid = (from + to) / 2;
  return [
    samples.filter((s) => s.at >= from && s.at < mid),
    samples.filter((s) => s.at >= mid && s.at <= to),
  ].map((xs) => ({
    meanMb: xs.length ? xs.reduce((a, s) => a + s.mb, 0) / xs.length : 0,
    maxMb: xs.reduce((a, s) => Math.max(a, s.mb), 0),
  }));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sources(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(name)
      ? [path]
      : [];
  });
}

/**
 * Transpiles libs/ and scripts/bench/ to JavaScript once (same options ts-node's transpile-only mode uses),
 * so the measured worker runs plain node: the TypeScript compiler is not resident in its memory.
 */
function compileWorker(): string {
  const config = ts.getParsedCommandLineOfConfigFile(
    resolve(ROOT, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => undefined,
    },
  );
  const options: ts.CompilerOptions = { ...config?.options, sourceMap: false, inlineSourceMap: false };
  const files = [...sources(resolve(ROOT, 'libs')), ...sources(resolve(ROOT, 'scripts/bench'))];
  const hash = createHash('sha256');
  const texts = files.map((f) => {
    const text = readFileSync(f, 'utf8');
    hash.update(f).update(text);
    return text;
  });
  const out = join(tmpdir(), `rp-bench-worker-${hash.digest('hex').slice(0, 16)}`);
  files.forEach((file, i) => {
    const target = join(out, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(
      target,
      ts.transpileModule(texts[i], { compilerOptions: options, fileName: file }).outputText,
    );
  });
  return out;
}

/**
 * Runs scripts/bench/ingest-worker.ts, transpiled to JavaScript (tsconfig paths mapped onto the output),
 * in a child `node` with `env`, sampling its RSS every 250 ms; resolves with its report and memory once
 * it is done.
 */
export function runIngestWorker(
  env: Record<string, string>,
): Promise<{ done: WorkerDone; memory: MemoryReport }> {
  const out = compileWorker();
  const child = spawn(
    process.execPath,
    [
      ...heapOpts('serve'), // the ingest role's heap, as bin/retention serve runs it
      // e.g. BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the worker
      ...(process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean),
      '-r',
      'tsconfig-paths/register',
      join(out, 'scripts/bench/ingest-worker.js'),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TS_NODE_PROJECT: resolve(ROOT, 'tsconfig.json'),
        TS_NODE_BASEURL: out,
        NODE_PATH: resolve(ROOT, 'node_modules'),
        KAFKAJS_NO_PARTITIONER_WARNING: '1',
        ...env,
      },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    },
  );
  const pid = child.pid!;
  const samples: { at: number; mb: number }[] = [];
  const sampler = setInterval(() => samples.push({ at: Date.now(), mb: procMb(pid, 'VmRSS') }), 250);
  return new Promise((resolvePromise, reject) => {
    let finished = false;
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'error') {
        finished = true;
        reject(new WorkerFailed(m));
      } else if (m.type === 'done') {
        finished = true;
        clearInterval(sampler);
        const peakMb = procMb(pid, 'VmHWM');
        const [firstHalf, secondHalf] = halves(samples, m.firstAt, m.lastAt);
        child.send('exit');
        child.once('exit', () => resolvePromise({ done: m, memory: { peakMb, firstHalf, secondHalf } }));
      }
    });
    child.on('exit', (code, signal) => {
      clearInterval(sampler);
      if (!finished) reject(new Error(`ingest worker exited early (code ${code}, signal ${signal})`));
    });
  });
}
