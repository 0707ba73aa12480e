export { lnGamma, lnBeta, hyp2f1 } from './gamma';
export { nelderMead, type NelderMeadOptions, type NelderMeadResult } from './nelder-mead';
export {
  fitBgNbd,
  DEFAULT_LOG_BOUND,
  pAlive,
  expectedTransactions,
  bgNbdLogLikelihood,
  type BgNbdParams,
  type BgNbdFit,
  type FitBgNbdOptions,
  type Rfm,
} from './bg-nbd';
export {
  summarisePurchases,
  DAY_MS,
  UNIT_MS,
  type TimeUnit,
  type Purchase,
  type CustomerRfm,
} from './summarise';
export {
  clv,
  valueAtRisk,
  urgency,
  priority,
  DEFAULT_DISCOUNT_RATE,
  WARRANTY_URGENCY_DAYS,
  type ClvInput,
  type PriorityInput,
} from './clv';
export {
  trailingMargin,
  twelveMonthsBefore,
  DEFAULT_MARGIN_RATES,
  type MarginLine,
  type MarginKind,
  type MarginRates,
} from './margin';
export {
  segment,
  segmentsOf,
  SEGMENTS,
  DEFAULT_SEGMENT_THRESHOLDS,
  type Segment,
  type SegmentFacts,
  type SegmentThresholds,
} from './segment';
export { fitModel, modelVersion, BG_NBD_FITTER_VERSION, BG_NBD_MODEL_UNIT, type BgNbdModel } from './model';
