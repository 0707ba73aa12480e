import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const STACK = resolve(__dirname, '../../scripts/stack.sh');

/** Starts or stops one service of the local stack (scripts/stack.sh) from a test. */
export function stack(cmd: 'up' | 'down', service: 'postgres' | 'redis' | 'kafka'): void {
  execFileSync('bash', [STACK, cmd, service], { stdio: 'pipe', timeout: 120_000 });
}
