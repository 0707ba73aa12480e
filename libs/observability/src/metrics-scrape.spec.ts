import { Metrics } from './metrics';

const never = (): Promise<never> => new Promise<never>(() => undefined);

describe('scrape-time gauges', () => {
  it('reads the source once per scrape for all its gauges, and exports exactly what it returned', async () => {
    const m = new Metrics(false);
    let reads = 0;
    m.scrapeSource({
      source: 'db',
      timeoutMs: 1000,
      gauges: { rp_a: { help: 'a', labelNames: ['kind'] }, rp_b: { help: 'b' } },
      read: () => {
        reads++;
        return Promise.resolve({ rp_a: [{ labels: { kind: 'x' }, value: 3 }], rp_b: [{ value: reads }] });
      },
    });
    const text = await m.registry.metrics();
    expect(reads).toBe(1);
    expect(text).toContain('rp_a{kind="x"} 3');
    expect(text).toContain('rp_b 1');
    expect(text).toContain('rp_metrics_scrape_errors_total{source="db"} 0');
    expect(await m.registry.metrics()).toContain('rp_b 2');
  });

  it('a hung source: the scrape answers after its timeout without its values, counts the error, and never starts a second read', async () => {
    const m = new Metrics(false);
    let reads = 0;
    const errors: string[] = [];
    m.scrapeSource({
      source: 'hung',
      timeoutMs: 200,
      gauges: { rp_hung: { help: 'h' } },
      read: () => {
        reads++;
        return never();
      },
      onError: (source, err) => errors.push(`${source}: ${err.message}`),
    });
    m.scrapeSource({
      source: 'fine',
      timeoutMs: 200,
      gauges: { rp_fine: { help: 'f' } },
      read: () => Promise.resolve({ rp_fine: [{ value: 7 }] }),
    });
    const started = Date.now();
    const first = await m.registry.metrics();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(first).not.toMatch(/^rp_hung /m);
    expect(first).toContain('rp_fine 7');
    expect(first).toContain('rp_metrics_scrape_errors_total{source="hung"} 1');
    const second = await m.registry.metrics();
    expect(second).toContain('rp_metrics_scrape_errors_total{source="hung"} 2');
    expect(reads).toBe(1);
    expect(errors).toEqual(['hung: metrics source hung timed out after 200 ms']);
  });

  it('a failing source keeps no stale value from an earlier scrape', async () => {
    const m = new Metrics(false);
    let fail = false;
    m.scrapeSource({
      source: 'flaky',
      timeoutMs: 1000,
      gauges: { rp_flaky: { help: 'f' } },
      read: () => (fail ? Promise.reject(new Error('down')) : Promise.resolve({ rp_flaky: [{ value: 5 }] })),
    });
    expect(await m.registry.metrics()).toContain('rp_flaky 5');
    fail = true;
    const text = await m.registry.metrics();
    expect(text).not.toMatch(/^rp_flaky /m);
    expect(text).toContain('rp_metrics_scrape_errors_total{source="flaky"} 1');
  });
});
