import { parseDay } from './time';

/** What a machine's owner (or the machine) does over the simulated history. */
export const BEHAVIOURS = Object.freeze([
  'loyal',
  'leaves-after-warranty',
  'slowly-eroding',
  'self-maintaining',
  'detractor-who-leaves',
  'machine-sold',
  'machine-parked',
  'machine-relocated',
] as const);
export type Behaviour = (typeof BEHAVIOURS)[number];

/** Behaviours of the customer: every machine of one customer that draws one of these shares it. */
export const CUSTOMER_BEHAVIOURS = Object.freeze([
  'loyal',
  'leaves-after-warranty',
  'slowly-eroding',
  'self-maintaining',
  'detractor-who-leaves',
] as const satisfies readonly Behaviour[]);

export type BehaviourMix = Readonly<Record<Behaviour, number>>;

export const DEFAULT_BEHAVIOUR_MIX: BehaviourMix = Object.freeze({
  loyal: 0.4,
  'leaves-after-warranty': 0.15,
  'slowly-eroding': 0.1,
  'self-maintaining': 0.08,
  'detractor-who-leaves': 0.07,
  'machine-sold': 0.07,
  'machine-parked': 0.07,
  'machine-relocated': 0.06,
});

export interface SimulationOptions {
  /** PRNG seed, an integer 0..2^32-1; same seed and options ⇒ the same events, byte for byte. */
  seed?: number;
  dealerId?: string;
  branches?: number;
  /**
   * Default: 60% of the machines, at least 1 (2 when machines can be sold: a sale needs a buyer). 1 with a
   * positive `machine-sold` weight is rejected.
   */
  customers?: number;
  machines?: number;
  /** First simulated day, `YYYY-MM-DD` (UTC midnight). */
  start?: string;
  /** Length of the simulated period in calendar months. */
  months?: number;
  /** Machines delivered up to this many months before `start` appear at `start` as an opening balance. */
  historyMonths?: number;
  /** Days between two telematics snapshots of a machine. */
  snapshotDays?: number;
  /** Relative weights per behaviour (missing behaviours weigh 0); default {@link DEFAULT_BEHAVIOUR_MIX}. */
  behaviourMix?: Partial<Record<Behaviour, number>>;
  /** ISO 4217 currency of every amount. */
  currency?: string;
  /** Envelope `source`. */
  source?: string;
}

export type ResolvedSimulationOptions = Required<Omit<SimulationOptions, 'behaviourMix'>> & {
  behaviourMix: BehaviourMix;
};

export const SIMULATION_DEFAULTS = Object.freeze({
  seed: 1,
  dealerId: 'demo-dealer',
  branches: 3,
  machines: 200,
  start: '2024-01-01',
  months: 24,
  historyMonths: 24,
  snapshotDays: 1,
  currency: 'EUR',
  source: 'rp-simulator',
});

/** An invalid simulation option; `option` names it. */
export class SimulationOptionsError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
    this.name = 'SimulationOptionsError';
  }
}

function int(option: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SimulationOptionsError(option, `must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}

/** Fills in the defaults and validates every option; throws {@link SimulationOptionsError}. */
export function resolveSimulationOptions(opts: SimulationOptions = {}): ResolvedSimulationOptions {
  const d = SIMULATION_DEFAULTS;
  const machines = int('machines', opts.machines ?? d.machines, 1, 5_000_000);
  const dealerId = opts.dealerId ?? d.dealerId;
  if (dealerId.length < 1 || dealerId.length > 64) {
    throw new SimulationOptionsError('dealerId', 'must be 1-64 characters');
  }
  const start = opts.start ?? d.start;
  if (parseDay(start) === undefined) {
    throw new SimulationOptionsError('start', `must be a date YYYY-MM-DD, got ${JSON.stringify(start)}`);
  }
  const currency = opts.currency ?? d.currency;
  if (!/^[A-Z]{3}$/.test(currency)) {
    throw new SimulationOptionsError('currency', 'must be a 3-letter upper-case ISO 4217 code');
  }
  const behaviourMix = resolveMix(opts.behaviourMix);
  const sold = behaviourMix['machine-sold'] > 0;
  const customers = int(
    'customers',
    opts.customers ?? Math.max(sold ? 2 : 1, Math.ceil(machines * 0.6)),
    1,
    5_000_000,
  );
  if (customers === 1 && sold) {
    throw new SimulationOptionsError(
      'customers',
      'a single customer leaves no buyer for machine-sold: use at least 2 customers, or a behaviour mix without machine-sold',
    );
  }
  return {
    seed: int('seed', opts.seed ?? d.seed, 0, 0xffff_ffff),
    dealerId,
    branches: int('branches', opts.branches ?? d.branches, 1, 1000),
    customers,
    machines,
    start,
    months: int('months', opts.months ?? d.months, 1, 240),
    historyMonths: int('historyMonths', opts.historyMonths ?? d.historyMonths, 0, 240),
    snapshotDays: int('snapshotDays', opts.snapshotDays ?? d.snapshotDays, 1, 365),
    behaviourMix,
    currency,
    source: opts.source ?? d.source,
  };
}

function resolveMix(mix: Partial<Record<Behaviour, number>> | undefined): BehaviourMix {
  if (mix === undefined) return DEFAULT_BEHAVIOUR_MIX;
  const unknown = Object.keys(mix).filter((k) => !(BEHAVIOURS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    throw new SimulationOptionsError(
      'behaviourMix',
      `unknown behaviour ${unknown[0]} (known: ${BEHAVIOURS.join(', ')})`,
    );
  }
  const out = {} as Record<Behaviour, number>;
  let total = 0;
  for (const b of BEHAVIOURS) {
    const w = mix[b] ?? 0;
    if (!Number.isFinite(w) || w < 0) {
      throw new SimulationOptionsError('behaviourMix', `weight of ${b} must be a number ≥ 0, got ${w}`);
    }
    out[b] = w;
    total += w;
  }
  if (total <= 0) throw new SimulationOptionsError('behaviourMix', 'at least one weight must be positive');
  return Object.freeze(out);
}
