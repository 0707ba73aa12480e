import type { Rng } from '../random/rng';

export const PARTS_CATEGORIES = [
  'filters',
  'wear-parts',
  'maintenance-kit',
  'repair-parts',
  'other',
] as const;
export type PartsCategory = (typeof PARTS_CATEGORIES)[number];

export const DEALER_PARTS_WEIGHTS = [35, 25, 15, 15, 10];
export const SELF_SERVICE_PARTS_WEIGHTS = [40, 15, 35, 5, 5];

const PARTS_PRICE: Record<PartsCategory, readonly [number, number]> = {
  filters: [80, 400],
  'wear-parts': [300, 2500],
  'maintenance-kit': [250, 900],
  'repair-parts': [400, 5000],
  other: [50, 600],
};

const PARTS_MARGIN = 0.3;
const LABOUR_MARGIN = 0.6;
// The OEM reimburses warranty work at lower rates.
const WARRANTY_PARTS_MARGIN = 0.12;
const WARRANTY_LABOUR_MARGIN = 0.3;

export const round1 = (x: number): number => Math.round(x * 10) / 10;
export const round2 = (x: number): number => Math.round(x * 100) / 100;

export function partsPrice(category: PartsCategory, factor: number, rng: Rng): number {
  const [lo, hi] = PARTS_PRICE[category];
  return round2(rng.between(lo, hi) * factor);
}

export const partsProfit = (amount: number): number => round2(amount * PARTS_MARGIN);

export function workOrderProfit(labour: number, parts: number, warranty: boolean): number {
  return warranty
    ? round2(labour * WARRANTY_LABOUR_MARGIN + parts * WARRANTY_PARTS_MARGIN)
    : round2(labour * LABOUR_MARGIN + parts * PARTS_MARGIN);
}
