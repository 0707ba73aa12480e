import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';

/** What every benchmark script prints and parses. */
export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const log = (line: string): void => console.log(line);

/**
 * A positive numeric flag (`--events 1_000_000`), the fallback when absent; anything else stops the
 * script with a message naming the flag. `integer` refuses fractions.
 */
export function numberFlag(argv: string[], name: string, fallback: number, integer = true): number {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]?.replace(/_/g, ''));
  if (!(integer ? Number.isInteger(n) : Number.isFinite(n)) || n <= 0) {
    throw new Error(`${name} needs a positive ${integer ? 'integer' : 'number'}, got "${argv[i + 1]}"`);
  }
  return n;
}

/** A fresh suffix and the env giving a benchmark run its own topics and Kafka client id. */
export function benchEnv(partitions: number): { suffix: string; env: Record<string, string> } {
  const s = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  return {
    suffix: s,
    env: {
      TOPIC_TELEMATICS: `bench.telematics.snapshots.${s}`,
      TOPIC_WARRANTY: `bench.warranty.events.${s}`,
      TOPIC_SERVICE: `bench.service.events.${s}`,
      TOPIC_DECISIONS: `bench.retention.decisions.${s}`,
      TOPIC_OUTCOMES: `bench.followup.outcomes.${s}`,
      TOPIC_PARTITIONS: String(partitions),
      KAFKA_CLIENT_ID: `bench-${s}`,
    },
  };
}

/**
 * The V8 heap flags bin/retention gives `command` (bin/heap-opts), or RETENTION_HEAP_OPTS when set, as the
 * launcher does: benchmarks that start the code without the launcher measure it with the same heap.
 */
export function heapOpts(command: string): string[] {
  const chosen =
    process.env.RETENTION_HEAP_OPTS ??
    execFileSync(resolve(__dirname, '../../bin/heap-opts'), [command], { encoding: 'utf8' });
  return chosen.split(/\s+/).filter(Boolean);
}
