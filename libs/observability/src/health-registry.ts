export type HealthProbe = () => Promise<Record<string, unknown> | void>;

/** Roles add their own probes (e.g. "ingest consumer is in its group"); /health runs them all. */
export class HealthRegistry {
  private readonly probes = new Map<string, HealthProbe>();

  register(name: string, probe: HealthProbe): void {
    if (this.probes.has(name)) throw new Error(`health probe "${name}" registered twice`);
    this.probes.set(name, probe);
  }

  entries(): [string, HealthProbe][] {
    return [...this.probes.entries()];
  }
}
