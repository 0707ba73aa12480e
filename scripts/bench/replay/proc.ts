import { readFileSync } from 'node:fs';

/** Peak resident set (VmHWM) of a live process in MB, from Linux /proc; 0 once it has exited. */
export function peakRssMb(pid: number): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}
