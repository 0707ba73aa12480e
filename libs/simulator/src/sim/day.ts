import { DAY_MS } from '../time';

/** One simulated UTC day, with the usage factors every machine shares. */
export interface SimDay {
  /** Days since the simulation start. */
  index: number;
  /** UTC midnight. */
  ms: number;
  /** 0 = Sunday. */
  dow: number;
  /** Seasonal and weekday usage factor; averages 1 over a year. */
  usage: number;
}

// Mon-Fri busy, Saturday half, Sunday almost idle; the week averages 1.
const WEEKDAY = [0.2, 1.2, 1.2, 1.2, 1.2, 1.2, 0.8];
const PEAK_DAY_OF_YEAR = 196; // mid-July: the northern building season

export function simDay(index: number, ms: number): SimDay {
  const d = new Date(ms);
  const dayOfYear = Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS);
  const season = 1 + 0.3 * Math.cos((2 * Math.PI * (dayOfYear - PEAK_DAY_OF_YEAR)) / 365.25);
  const dow = d.getUTCDay();
  return { index, ms, dow, usage: season * WEEKDAY[dow] };
}
