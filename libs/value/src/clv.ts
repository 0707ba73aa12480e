export const DEFAULT_DISCOUNT_RATE = 0.1;
/** Urgency doubles when a warranty ends within this many days (inclusive). */
export const WARRANTY_URGENCY_DAYS = 30;

function assertProbability(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${p}`);
}

export interface ClvInput {
  /** Trailing-12-month parts + service gross margin (see trailingMargin). */
  margin12m: number;
  /** Retention probability r over the next period, in [0, 1]. */
  retention: number;
  /** Discount rate d per period (default 10%). */
  discountRate?: number;
}

/** CLV = m · r / (1 + d − r): margin m retained with probability r each period, discounted at d. */
export function clv({ margin12m, retention, discountRate = DEFAULT_DISCOUNT_RATE }: ClvInput): number {
  assertProbability('retention', retention);
  if (!(discountRate >= 0)) throw new RangeError(`discountRate must be ≥ 0, got ${discountRate}`);
  if (!Number.isFinite(margin12m)) throw new RangeError(`margin12m must be finite, got ${margin12m}`);
  if (retention === 1 && discountRate === 0) throw new RangeError('CLV is unbounded for r = 1 and d = 0');
  return (margin12m * retention) / (1 + discountRate - retention);
}

/** Value at risk = P(lapse) × CLV. */
export function valueAtRisk(pLapse: number, customerClv: number): number {
  assertProbability('pLapse', pLapse);
  return pLapse * customerClv;
}

/** 2 when a warranty ends in 0..30 days from now (inclusive), else 1; an already-ended warranty does not count. */
export function urgency(warrantyEndsWithinDays?: number): number {
  if (warrantyEndsWithinDays === undefined) return 1;
  return warrantyEndsWithinDays >= 0 && warrantyEndsWithinDays <= WARRANTY_URGENCY_DAYS ? 2 : 1;
}

export interface PriorityInput {
  valueAtRisk: number;
  /** Weight of the strongest reason behind the follow-up. */
  reasonWeight: number;
  /** Days until the customer's nearest warranty ends, if any. */
  warrantyEndsWithinDays?: number;
}

/** Priority = value at risk × strongest reason weight × urgency. */
export function priority({
  valueAtRisk: atRisk,
  reasonWeight,
  warrantyEndsWithinDays,
}: PriorityInput): number {
  if (!(reasonWeight >= 0)) throw new RangeError(`reasonWeight must be ≥ 0, got ${reasonWeight}`);
  return atRisk * reasonWeight * urgency(warrantyEndsWithinDays);
}
