import { isolatedEnv, runCli, stack, startApp, waitFor, type AppProcess } from '../support';

interface Health {
  status: string;
  details: Record<string, { status: string; message?: string }>;
}

describe('the process with all roles', () => {
  const env = isolatedEnv({ ROLES: 'ingest,followups,api', LOG_LEVEL: 'info' });
  let app: AppProcess;
  const health = async (): Promise<{ code: number; body: Health }> => {
    const res = await fetch(`${app.baseUrl}/health`);
    return { code: res.status, body: (await res.json()) as Health };
  };

  beforeAll(async () => {
    const topics = await runCli(['topics'], env);
    expect(topics.code).toBe(0);
    app = await startApp(env);
  });
  afterAll(async () => {
    stack('up', 'redis');
    if (app) expect(await app.stop()).toBe(0);
  });

  it('answers /health green for Postgres, Redis and Kafka', async () => {
    const { code, body } = await health();
    expect(code).toBe(200);
    expect(body.status).toBe('ok');
    expect(Object.keys(body.details).sort()).toEqual([
      'alerts',
      'alerts-poll',
      'decisions-publisher',
      'followups',
      'followups-relay',
      'ingest',
      'kafka',
      'outcomes-publisher',
      'postgres',
      'redis',
      'risk',
    ]);
    expect(Object.values(body.details).every((d) => d.status === 'up')).toBe(true);
  });

  it('serves Prometheus metrics', async () => {
    const res = await fetch(`${app.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^rp_process_cpu_user_seconds_total \d/m);
    // The ingest consumer's own instruments are registered (samples appear with the first commit).
    for (const m of ['rp_ingest_consumer_lag gauge', 'rp_ingest_last_commit_timestamp_seconds gauge']) {
      expect(text).toContain(`# TYPE ${m}`);
    }
    expect(text).toContain('# TYPE rp_ingest_batch_retries_total counter');
    expect(text).toContain('# TYPE rp_ingest_rejected_total counter');
  });

  it('reports Redis down (and only Redis) while it is stopped, then green again', async () => {
    stack('down', 'redis');
    const down = await waitFor('health to turn red', async () => {
      const h = await health();
      return h.code === 503 ? h : undefined;
    });
    expect(down!.body.details.redis.status).toBe('down');
    expect(down!.body.details.postgres.status).toBe('up');
    expect(down!.body.details.kafka.status).toBe('up');

    stack('up', 'redis');
    await waitFor('health to turn green', async () => (await health()).code === 200, 30_000);
  });

  it('writes structured JSON logs', () => {
    const lines = app.output().trim().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });
});

describe('configuration errors', () => {
  it('stop the process with a message naming the variable', async () => {
    const res = await runCli(['serve'], { KAFKA_BROKERS: 'no-port-here', HTTP_PORT: '3000' });
    expect(res.code).toBe(2);
    expect(res.output).toContain('KAFKA_BROKERS');
    expect(res.output).toContain('host:port');
  });

  it('the ingest role refuses to start when its input topics are missing, naming them', async () => {
    const res = await runCli(['serve'], isolatedEnv({ ROLES: 'ingest', TOPIC_SERVICE: 'no.such.topic' }));
    expect(res.code).toBe(1);
    expect(res.output).toContain('no.such.topic');
  });
});
