import { Counter, Gauge, type Registry } from 'prom-client';
import { withTimeout } from './with-timeout';

/** One value of a scrape-time gauge; labels must come from a small fixed set (never ids or URLs). */
export interface GaugeSample {
  labels?: Record<string, string>;
  value: number;
}

export interface ScrapeGaugeSpec {
  help: string;
  labelNames?: string[];
}

/**
 * Gauges read at scrape time from one source (a few bounded queries): `read` runs once per scrape whatever
 * the number of gauges, and returns their samples by gauge name. A gauge left out of the result, or a read
 * that fails or takes longer than `timeoutMs`, exports no value (never a stale one) and counts one
 * `rp_metrics_scrape_errors_total{source}`.
 */
export interface ScrapeSourceSpec<K extends string> {
  /** The `source` label of the error counter, e.g. "outbox". */
  source: string;
  timeoutMs: number;
  gauges: Record<K, ScrapeGaugeSpec>;
  read: () => Promise<Partial<Record<K, GaugeSample[]>>>;
  /** Told once when the source starts failing (not at every scrape while it keeps failing). */
  onError?: (source: string, err: Error) => void;
}

export const SCRAPE_ERRORS = 'rp_metrics_scrape_errors_total';

/** The scrapes in flight per registry: the error counter waits for them, so a failure shows in its own scrape. */
const inFlight = new WeakMap<Registry, Set<Promise<unknown>>>();

/** Registers the gauges of `spec` on `registry` (see ScrapeSourceSpec). */
export function registerScrapeSource<K extends string>(registry: Registry, spec: ScrapeSourceSpec<K>): void {
  const errors = errorCounter(registry);
  errors.inc({ source: spec.source }, 0);
  const pending = inFlight.get(registry)!;
  // The read itself, kept until it settles: a hung read is shared by later scrapes, never started again
  // (a black-holed database must not take one more pooled connection per scrape).
  let read: Promise<Partial<Record<K, GaugeSample[]>>> | undefined;
  // One scrape of this source: every gauge's collect() of a registry.metrics() call awaits the same one.
  let scrape: Promise<Partial<Record<K, GaugeSample[]>> | undefined> | undefined;
  let failing = false;

  const current = () => {
    if (scrape) return scrape;
    read ??= spec.read().finally(() => (read = undefined));
    const started = withTimeout(read, spec.timeoutMs, `metrics source ${spec.source}`).then(
      (samples) => {
        failing = false;
        return samples;
      },
      (err: unknown) => {
        errors.inc({ source: spec.source });
        if (!failing) spec.onError?.(spec.source, err instanceof Error ? err : new Error(String(err)));
        failing = true;
        return undefined;
      },
    );
    scrape = started.finally(() => {
      scrape = undefined;
      pending.delete(started);
    });
    pending.add(started);
    return scrape;
  };

  for (const name of Object.keys(spec.gauges) as K[]) {
    const g = spec.gauges[name];
    new Gauge({
      name,
      help: g.help,
      labelNames: g.labelNames ?? [],
      registers: [registry],
      async collect() {
        const samples = await current();
        // Not reset(): it gives a gauge without labels a 0, which would read as "nothing pending".
        (this as unknown as { hashMap: Record<string, unknown> }).hashMap = {};
        for (const s of samples?.[name] ?? []) {
          if (Number.isFinite(s.value)) this.set(s.labels ?? {}, s.value);
        }
      },
    });
  }
}

function errorCounter(registry: Registry): Counter {
  const existing = registry.getSingleMetric(SCRAPE_ERRORS) as Counter | undefined;
  if (existing) return existing;
  const pending = new Set<Promise<unknown>>();
  inFlight.set(registry, pending);
  return new Counter({
    name: SCRAPE_ERRORS,
    help: 'Scrape-time metric sources that failed or timed out (their gauges had no value in that scrape)',
    labelNames: ['source'],
    registers: [registry],
    async collect() {
      // The registry asks every metric at once: let the sources' collect() calls start their reads first.
      await new Promise<void>((resolve) => setImmediate(resolve));
      await Promise.allSettled([...pending]);
    },
  });
}
