import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { registerScrapeSource, type ScrapeSourceSpec } from './metrics-scrape';

/** One Prometheus registry per process; libs register their instruments here. */
export class Metrics {
  readonly registry = new Registry();
  constructor(defaultMetrics = true) {
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'rp_' });
  }
  counter(name: string, help: string, labelNames: string[] = []): Counter {
    return (
      (this.registry.getSingleMetric(name) as Counter) ??
      new Counter({ name, help, labelNames, registers: [this.registry] })
    );
  }
  gauge(name: string, help: string, labelNames: string[] = []): Gauge {
    return (
      (this.registry.getSingleMetric(name) as Gauge) ??
      new Gauge({ name, help, labelNames, registers: [this.registry] })
    );
  }
  histogram(name: string, help: string, labelNames: string[] = [], buckets?: number[]): Histogram {
    return (
      (this.registry.getSingleMetric(name) as Histogram) ??
      new Histogram({ name, help, labelNames, ...(buckets ? { buckets } : {}), registers: [this.registry] })
    );
  }
  /**
   * Gauges computed at scrape time from one source (queries with a timeout): no cost on the hot path, and a
   * source that hangs or fails only drops its own values and counts rp_metrics_scrape_errors_total{source}.
   */
  scrapeSource<K extends string>(spec: ScrapeSourceSpec<K>): void {
    registerScrapeSource(this.registry, spec);
  }
}
