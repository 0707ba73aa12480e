import { createDataSource } from '@rp/database';
import {
  createIngestHandler,
  DEFAULT_VALUE_SETTINGS,
  loadRiskState,
  snapshotEvaluationAt,
  type BatchContext,
  type RiskStepOptions,
} from '@rp/ingest';
import { Metrics } from '@rp/observability';
import { DEFAULT_RULE_SET } from '@rp/risk';
import { dlqTopic } from '@rp/config';
import { ev, testConfig, useMigratedSchema, type Ev } from '../../support';

/**
 * Through the ingest handler: a machine's snapshots within one evaluation period ask for one evaluation, at
 * the end of the machine's period; a survey keeps its own instant; period 0 evaluates every snapshot.
 */
describe('telematics evaluation period (real Postgres)', () => {
  const config = testConfig();
  const t = config.topics;
  const ds = createDataSource({ ...config.database, poolSize: 2 });
  const HOUR = 3_600_000;
  const handler = (telematicsEvaluationMs: number) => {
    const risk: RiskStepOptions = {
      engine: { ruleSet: DEFAULT_RULE_SET, value: DEFAULT_VALUE_SETTINGS, loadState: loadRiskState },
      topics: [t.telematics, t.service],
      allowedLatenessMs: 0,
      telematicsEvaluationMs,
    };
    return createIngestHandler({
      ds,
      metrics: new Metrics(false),
      topicKinds: { [t.telematics]: 'telematics', [t.service]: 'service' },
      dlqTopicOf: dlqTopic,
      risk,
      onDue: () => undefined, // no sweep: the test reads the timers
    });
  };
  const batch = (topic: string, events: Ev[], from: number): BatchContext => ({
    topic,
    partition: 0,
    caughtUp: true,
    heartbeat: () => Promise.resolve(),
    messages: events.map((e, i) => ({
      key: Buffer.from('k'),
      value: Buffer.from(JSON.stringify(e)),
      headers: {},
      offset: String(from + i),
      timestamp: String(Date.parse(e.occurredAt)),
    })),
  });
  const start = Date.parse('2026-03-04T10:00:00Z');
  const snapshots = (serial: string) =>
    Array.from({ length: 24 }, (_, i) =>
      ev(`${serial}-${i}`, 'telematics.snapshot', new Date(start + i * 300_000).toISOString(), {
        serialNumber: serial,
        cumulativeOperatingHours: 100 + i / 12,
      }),
    );
  /** Every instant a subject's timer rows ask for, ascending. */
  const instants = async (subject: string) =>
    (
      await ds.query<{ due_at: Date; later_ms: string[] }[]>(
        'SELECT due_at, later_ms FROM risk_timers WHERE customer_id = $1',
        [subject],
      )
    )
      .flatMap((r) => [r.due_at.getTime(), ...r.later_ms.map(Number)])
      .sort((a, b) => a - b);

  useMigratedSchema(ds, config.database.schema);

  it('asks for one evaluation per machine and hour, at the end of its period; a survey at its own instant', async () => {
    const handle = handler(HOUR);
    await handle(batch(t.telematics, snapshots('S1'), 0)); // two hours of 5-minute snapshots
    const survey = ev('sv-1', 'survey.responded', '2026-03-04T10:07:00Z', {
      surveyId: 'sv-1',
      customerId: 'c1',
      nps: 3,
    });
    await handle(batch(t.service, [survey], 0));
    const expected = [
      ...new Set(snapshots('S1').map((e) => snapshotEvaluationAt('d1', Date.parse(e.occurredAt), HOUR))),
    ];
    expect(expected.length).toBeGreaterThanOrEqual(2);
    expect(expected.length).toBeLessThanOrEqual(3);
    expect(await instants('#serial:S1')).toEqual(expected.sort((a, b) => a - b));
    expect(await instants('c1')).toEqual([Date.parse('2026-03-04T10:07:00Z')]);
  });

  it('leaves the timer row untouched when a later batch asks for an instant it already holds', async () => {
    const handle = handler(24 * HOUR);
    const dueOf = (e: Ev) => snapshotEvaluationAt('d1', Date.parse(e.occurredAt), 24 * HOUR);
    const [first, ...others] = snapshots('S3');
    const rest = others.filter((e) => dueOf(e) === dueOf(first));
    expect(rest.length).toBeGreaterThan(0);
    await handle(batch(t.telematics, [first], 200));
    const version = async () =>
      (
        await ds.query<{ v: string; due_at: Date }[]>(
          `SELECT xmin::text AS v, due_at FROM risk_timers WHERE customer_id = '#serial:S3'`,
        )
      ).map((r) => `${r.v}@${r.due_at.toISOString()}`);
    const before = await version();
    expect(before).toHaveLength(1);
    await handle(batch(t.telematics, rest, 201)); // the same period: the same instant
    expect(await version()).toEqual(before);
    expect(await instants('#serial:S3')).toEqual([dueOf(first)]);
  });

  it('with period 0, every snapshot is its own evaluation instant', async () => {
    await handler(0)(batch(t.telematics, snapshots('S2'), 100));
    expect(await instants('#serial:S2')).toEqual(snapshots('S2').map((e) => Date.parse(e.occurredAt)));
  });
});
