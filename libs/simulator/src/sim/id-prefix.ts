import { createHash } from 'node:crypto';
import { BEHAVIOURS, type ResolvedSimulationOptions } from '../options';

/**
 * The event-id prefix of one simulation: `sim-<seed>-<8 hex>-`, the hex a SHA-256 of every resolved option
 * (each changes the output). The same options give the same ids (a re-run is de-duplicated); two
 * simulations of one dealer that differ in any option (another `--start`, `--months`, fleet, mix …) share
 * no id, so the second is not dropped as duplicates of the first.
 */
export function simulationIdPrefix(opts: ResolvedSimulationOptions): string {
  // A fixed field order (and the mix in BEHAVIOURS order), so the hash never depends on key order.
  const canonical = JSON.stringify([
    opts.seed,
    opts.dealerId,
    opts.branches,
    opts.customers,
    opts.machines,
    opts.start,
    opts.months,
    opts.historyMonths,
    opts.snapshotDays,
    BEHAVIOURS.map((b) => opts.behaviourMix[b]),
    opts.currency,
    opts.source,
  ]);
  const hash = createHash('sha256').update(canonical).digest('hex').slice(0, 8);
  return `sim-${opts.seed}-${hash}-`;
}
