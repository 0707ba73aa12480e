import { createHash } from 'node:crypto';
import { fitBgNbd, type BgNbdParams, type FitBgNbdOptions } from './bg-nbd';
import { summarisePurchases, type CustomerRfm, type Purchase } from './summarise';

/** Bump when the summary or the fitter changes meaning, so old and new parameters get distinct versions. */
export const BG_NBD_FITTER_VERSION = 'bgnbd-mle-nm/2';
/** fitModel always summarises in weeks: params (notably alpha) are per week. */
export const BG_NBD_MODEL_UNIT = 'week';

/** A dealer's fitted BG/NBD parameters, versioned by a hash of everything the fit consumed. */
export interface BgNbdModel {
  dealerId: string;
  /** sha256 (hex, first 16 chars) of fitter version, dealerId, asOf and the per-customer summary. */
  version: string;
  /** ISO 8601 UTC instant the purchase history was cut at. */
  fittedAsOf: string;
  params: BgNbdParams;
  /** Customers in the fit (those with a purchase at or before asOf). */
  customers: number;
}

/** Deterministic model version: same dealer, asOf and summarised history give the same version. */
export function modelVersion(dealerId: string, asOfMs: number, summary: readonly CustomerRfm[]): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([BG_NBD_FITTER_VERSION, dealerId, asOfMs, BG_NBD_MODEL_UNIT]));
  for (const { customerId, x, tx, T } of summary) hash.update(`\n${JSON.stringify([customerId, x, tx, T])}`);
  return hash.digest('hex').slice(0, 16);
}

/** Summarise a dealer's purchases as of asOfMs (weeks) and fit BG/NBD; deterministic for the same inputs. */
export function fitModel(
  dealerId: string,
  purchases: readonly Purchase[],
  asOfMs: number,
  opts: FitBgNbdOptions = {},
): BgNbdModel {
  const summary = summarisePurchases(purchases, asOfMs, BG_NBD_MODEL_UNIT);
  const { r, alpha, a, b } = fitBgNbd(summary, opts);
  return {
    dealerId,
    version: modelVersion(dealerId, asOfMs, summary),
    fittedAsOf: new Date(asOfMs).toISOString(),
    params: { r, alpha, a, b },
    customers: summary.length,
  };
}
