import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
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

/**
 * Runs scripts/bench/ingest-worker.ts in a child `node` (ts-node register, tsconfig paths) with `env`,
 * sampling its RSS every 250 ms; resolves with its report and memory once it is done.
 */
export function runIngestWorker(
  env: Record<string, string>,
): Promise<{ done: WorkerDone; memory: MemoryReport }> {
  const child = spawn(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      resolve(__dirname, 'ingest-worker.ts'),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        TS_NODE_PROJECT: resolve(ROOT, 'tsconfig.json'),
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
