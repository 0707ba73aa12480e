import { createDataSource } from '@rp/database';
import { dlqTopic } from '@rp/config';
import {
  createIngestHandler,
  DEFAULT_VALUE_SETTINGS,
  loadRiskState,
  scheduleRisk,
  type BatchContext,
  type IngestEvent,
  type RiskStepOptions,
} from '@rp/ingest';
import { Metrics } from '@rp/observability';
import { DEFAULT_RULE_SET } from '@rp/risk';
import { ev, testConfig, useMigratedSchema } from '../../support';

/**
 * When a batch asks for a sweep: live (every partition caught up, or one trailing by moments) at every batch;
 * while a backlog is read (the batch's partition, or another partition, trails far behind in event time)
 * in stretches of sweepLagMs (once the oldest due timer lags the watermark by twice that, up to sweepLagMs
 * behind it) — a caught-up partition of a backlog does not make every batch sweep every customer up to a
 * watermark that moves in small steps, and a few old timers do not bring a sweep of everything due.
 */
describe('sweep scheduling (real Postgres)', () => {
  const config = testConfig();
  const ds = createDataSource({ ...config.database, poolSize: 2 });
  const DAY = 86_400_000;
  const HOUR = 3_600_000;
  const start = Date.parse('2026-01-01T00:00:00Z');
  const risk: RiskStepOptions = {
    engine: { ruleSet: DEFAULT_RULE_SET, value: DEFAULT_VALUE_SETTINGS, loadState: loadRiskState },
    topics: ['fast', 'slow'],
    allowedLatenessMs: 0,
    sweepLagMs: 10 * DAY,
  };
  let n = 0;
  /** A survey of customer c1 at `atMs` read from topic / partition 0: a timer due at `atMs`. */
  const survey = (topic: string, atMs: number): IngestEvent =>
    ({
      event: {
        eventId: `sv-${++n}`,
        type: 'survey.responded',
        dealerId: 'd1',
        occurredAt: new Date(atMs).toISOString(),
        data: { surveyId: `sv-${n}`, customerId: 'c1', nps: 3 },
      },
      occurredAtMs: atMs,
      topic,
      partition: 0,
      offset: String(n),
    }) as unknown as IngestEvent;
  const batch = (topic: string, atMs: number, caughtUp: boolean) => {
    const e = survey(topic, atMs);
    return scheduleRisk(ds, risk, [{ topic, partition: 0, caughtUp, valid: [e] }], [e]);
  };

  useMigratedSchema(ds, config.database.schema);

  beforeEach(async () => {
    await ds.query('DELETE FROM risk_timers');
    await ds.query('DELETE FROM stream_watermarks');
  });

  it('live: every caught-up batch asks for a sweep up to the watermark', async () => {
    await batch('slow', start + 5 * DAY, true);
    expect(await batch('fast', start + 5 * DAY + HOUR, true)).toEqual({
      at: start + 5 * DAY + HOUR,
      inline: false,
    });
  });

  it('live under load: a partition a few moments behind does not stop the caught-up batches sweeping', async () => {
    await batch('slow', start + 5 * DAY - 60_000, false);
    // The watermark is held by the partition behind; the caught-up batch still asks for the sweep to it.
    expect(await batch('fast', start + 5 * DAY, true)).toEqual({
      at: start + 5 * DAY - 60_000,
      inline: false,
    });
  });

  it('live: a batch of two partitions, one a few messages short of its end, still asks for the sweep', async () => {
    const e1 = survey('fast', start + 5 * DAY);
    const e2 = survey('slow', start + 5 * DAY - 60_000);
    const due = await scheduleRisk(
      ds,
      risk,
      [
        { topic: 'fast', partition: 0, caughtUp: true, valid: [e1] },
        { topic: 'slow', partition: 0, caughtUp: false, valid: [e2] },
      ],
      [e1, e2],
    );
    expect(due).toEqual({ at: start + 5 * DAY - 60_000, inline: false });
  });

  it('backlog: sweeps go in stretches of sweepLagMs, once the oldest due timer lags by twice that', async () => {
    await batch('slow', start, false); // due at start, the slow partition's newest event
    // The fast topic is read to its end 60 days ahead: the watermark is held at the slow partition's time.
    expect(await batch('fast', start + 60 * DAY, true)).toBeNull();
    // The slow partition moves on, still behind: 19 days after the oldest due timer, not yet.
    expect(await batch('slow', start + 10 * DAY, false)).toBeNull();
    expect(await batch('slow', start + 19 * DAY, false)).toBeNull();
    // 20 days: the lagging batch sweeps itself before reading on, up to 10 days behind the watermark.
    expect(await batch('slow', start + 20 * DAY, false)).toEqual({ at: start + 10 * DAY, inline: true });
    // A caught-up batch of the same backlog hands the overdue sweep to the background sweeper.
    expect(await batch('fast', start + 60 * DAY + HOUR, true)).toEqual({
      at: start + 10 * DAY,
      inline: false,
    });
  });

  it('backlog: a timer far older than the rest fires alone, not with everything the watermark passed', async () => {
    await batch('slow', start + 100 * DAY, false);
    await batch('fast', start + 200 * DAY, true);
    // An event dated 90 days before the backlog's own (a delivery registered late): 90 days overdue.
    expect(await batch('slow', start + 10 * DAY, false)).toEqual({ at: start + 90 * DAY, inline: true });
  });

  it('a batch at the end of its partition with every message rejected still marks it caught up', async () => {
    const t = config.topics;
    const rejected: string[] = [];
    const handle = createIngestHandler({
      ds,
      metrics: new Metrics(false),
      topicKinds: { [t.service]: 'service' },
      dlqTopicOf: dlqTopic,
      risk: { ...risk, topics: [t.service] },
      onDue: () => undefined,
      rejectedSink: (r) => {
        rejected.push(...r.map((x) => x.code));
        return Promise.resolve();
      },
    });
    const message = (value: string, offset: number) => ({
      key: Buffer.from('k'),
      value: Buffer.from(value),
      headers: {},
      offset: String(offset),
      timestamp: String(start),
    });
    const batch = (caughtUp: boolean, messages: BatchContext['messages']): BatchContext => ({
      topic: t.service,
      partition: 0,
      caughtUp,
      heartbeat: () => Promise.resolve(),
      messages,
    });
    const survey = ev('sv-caught-up', 'survey.responded', new Date(start).toISOString(), {
      surveyId: 'sv-caught-up',
      customerId: 'c1',
      nps: 3,
    });
    const caughtUp = async () =>
      (
        await ds.query<{ caught_up: boolean }[]>(
          'SELECT caught_up FROM stream_watermarks WHERE topic = $1 AND kafka_partition = 0',
          [t.service],
        )
      )[0]?.caught_up;
    await handle(batch(false, [message(JSON.stringify(survey), 0)]));
    expect(await caughtUp()).toBe(false);
    await handle(batch(true, [message('not json', 1)]));
    expect(rejected).toEqual(['INVALID_JSON']);
    expect(await caughtUp()).toBe(true);
  });

  it('backlog over: the batch that catches the last partition up asks for the sweep', async () => {
    await batch('slow', start, false);
    expect(await batch('fast', start + 60 * DAY, true)).toBeNull();
    // Still a backlog (the slow partition trails by more than an hour): a stretch up to 10 days behind.
    expect(await batch('slow', start + 59 * DAY + 23 * HOUR - 1, false)).toEqual({
      at: start + 49 * DAY + 23 * HOUR - 1,
      inline: true,
    });
    expect(await batch('slow', start + 60 * DAY, true)).toEqual({ at: start + 60 * DAY, inline: false });
  });
});
