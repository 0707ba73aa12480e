import { dlqTopic } from '@rp/config';
import { FollowupJob, taskIdFor } from '@rp/followups';
import {
  createIngestHandler,
  DEFAULT_VALUE_SETTINGS,
  loadRiskState,
  sweepDue,
  type RiskStepOptions,
} from '@rp/ingest';
import { Metrics } from '@rp/observability';
import { DEFAULT_RULE_SET } from '@rp/risk';
import { ev, waitFor, type Ev } from '../../support';
import { DAY, DEALER, followupsHarness, valuedDecision, type FollowupsHarness } from './harness';

/**
 * Issue review s19 #3: a machine sold after its tasks were opened. Real events go through the ingest
 * handler (projections, default rules, sweeps) into the outbox; the real followups runtime relays the
 * decisions and the MACHINE_SOLD suppression to BullMQ, and its worker applies them.
 */
describe('suppressions close the tasks they make moot (Postgres + Redis)', () => {
  const T0 = Date.UTC(2025, 0, 6); // delivery; standard warranty one year
  const EXP = T0 + 365 * DAY;
  const SOLD = T0 + 540 * DAY;
  const S = 'SN-PC200';
  const at = (ms: number) => new Date(ms).toISOString();
  const date = (ms: number) => at(ms).slice(0, 10);
  const CLOCK = SOLD + 2 * DAY; // the followups clock: closing time of system closures

  let h: FollowupsHarness;
  let feed: (events: Ev[]) => Promise<void>;
  let risk: RiskStepOptions;
  beforeAll(async () => {
    h = await followupsHarness({}, () => CLOCK);
    const t = h.config.topics;
    risk = {
      engine: { ruleSet: DEFAULT_RULE_SET, value: DEFAULT_VALUE_SETTINGS, loadState: loadRiskState },
      topics: [t.telematics, t.warranty, t.service],
      allowedLatenessMs: 0,
    };
    const handle = createIngestHandler({
      ds: h.ds,
      metrics: new Metrics(false),
      topicKinds: { [t.telematics]: 'telematics', [t.warranty]: 'warranty', [t.service]: 'service' },
      dlqTopicOf: dlqTopic,
      risk,
      onDue: () => undefined,
      rejectedSink: (r) => {
        throw new Error(
          `rejected: ${r
            .map((x) => `${x.code}: ${x.reason}`)
            .join('; ')
            .slice(0, 500)}`,
        );
      },
    });
    const offsets = new Map<string, number>();
    feed = async (events) => {
      const topicOf = (e: Ev) =>
        e.type.startsWith('telematics')
          ? t.telematics
          : e.type.startsWith('warranty') || e.type.startsWith('ownership')
            ? t.warranty
            : t.service;
      for (const topic of [t.telematics, t.warranty, t.service]) {
        const es = events.filter((e) => topicOf(e) === topic);
        if (es.length === 0) continue;
        const from = offsets.get(topic) ?? 0;
        offsets.set(topic, from + es.length);
        await handle({
          topic,
          partition: 0,
          caughtUp: true,
          heartbeat: () => Promise.resolve(),
          messages: es.map((e, i) => ({
            key: Buffer.from(S),
            value: Buffer.from(JSON.stringify(e)),
            headers: {},
            offset: String(from + i),
            timestamp: String(Date.parse(e.occurredAt)),
          })),
        });
      }
    };
  });
  afterAll(async () => {
    await h.close();
  });

  const unapplied = async () =>
    Number(
      (
        await h.ds.query<{ n: string }[]>(
          `SELECT count(*) AS n FROM outbox WHERE kind IN ('decision', 'suppression') AND applied_at IS NULL`,
        )
      )[0].n,
    );
  const settle = async (watermarkMs: number) => {
    await sweepDue(h.ds, risk, watermarkMs);
    h.runtime.wakeRelay();
    await waitFor('outbox rows applied', async () => (await unapplied()) === 0, 60_000, 50);
  };
  const machineTasks = () =>
    h.ds.query<
      {
        task_id: string;
        family: string;
        status: string;
        outcome: string | null;
        outcome_note: string | null;
        closed_at: Date | null;
        updated_at: Date;
      }[]
    >(
      `SELECT task_id, family, status, outcome, outcome_note, closed_at, updated_at FROM tasks
        WHERE customer_id = 'c-1' AND serial_number = $1 ORDER BY family`,
      [S],
    );
  const outcomes = () =>
    h.ds.query<{ dedup_key: string; payload: Record<string, unknown> }[]>(
      `SELECT dedup_key, payload FROM outbox WHERE kind = 'outcome' ORDER BY dedup_key`,
    );

  const later = valuedDecision({
    customerId: 'c-1',
    serialNumber: S,
    reasonCode: 'DETRACTOR',
    detectedAtMs: SOLD + 3_600_000, // after the sale: not moot
  });

  it('opens tasks for the seller from the history, then a task whose reason comes after the sale', async () => {
    const events: Ev[] = [
      ev(
        'cu-1',
        'customer.upserted',
        at(T0 - DAY),
        { customerId: 'c-1', name: 'Builder Co', branchId: 'b-home' },
        DEALER,
      ),
      ev(
        'wr-1',
        'warranty.registered',
        at(T0),
        {
          serialNumber: S,
          customerId: 'c-1',
          branchId: 'b-home',
          model: 'PC200-8',
          startsAt: date(T0),
          endsAt: date(EXP),
        },
        DEALER,
      ),
      ev(
        'wx-1',
        'warranty.expired',
        at(EXP),
        { serialNumber: S, endedAt: date(EXP), coverage: 'standard' },
        DEALER,
      ),
    ];
    for (let w = 1; w * 7 < 530; w++)
      events.push(
        ev(
          `t-${w}`,
          'telematics.snapshot',
          at(T0 + w * 7 * DAY),
          { serialNumber: S, cumulativeOperatingHours: w * 25, engineRunning: true },
          DEALER,
        ),
      );
    await feed(events);
    await settle(SOLD - DAY);
    const before = await machineTasks();
    expect(before.map((t) => t.status)).toEqual(before.map(() => 'open'));
    expect(before.map((t) => t.family)).toContain('lapse');
    await h.publish([later]);
    await settle(SOLD - DAY);
    expect((await machineTasks()).find((t) => t.family === 'experience')).toMatchObject({
      task_id: taskIdFor(DEALER, later.id),
      status: 'open',
    });
  });

  it('closes the seller tasks detected before the sale as machine-sold, once, and leaves the later one open', async () => {
    const open = (await machineTasks()).filter((t) => t.family !== 'experience');
    expect(open.map((t) => [t.family, t.status])).toEqual([
      ['coverage', 'open'],
      ['lapse', 'open'],
    ]);
    await feed([
      ev(
        'ot-1',
        'ownership.transferred',
        at(SOLD),
        { serialNumber: S, fromCustomerId: 'c-1', toCustomerId: 'c-2' },
        DEALER,
      ),
    ]);
    await settle(SOLD + DAY);
    const sup = await h.ds.query<
      {
        dedup_key: string;
        payload: { reasonCode: string; sinceMs: number };
        published: boolean;
        scanned: boolean;
      }[]
    >(
      `SELECT dedup_key, payload, published_at IS NOT NULL AS published, alerts_scanned_at IS NOT NULL AS scanned
         FROM outbox WHERE kind = 'suppression' AND payload->>'reasonCode' = 'MACHINE_SOLD'`,
    );
    expect(sup).toHaveLength(1);
    expect(sup[0].payload).toMatchObject({ reasonCode: 'MACHINE_SOLD', sinceMs: SOLD });
    expect(sup[0].published).toBe(true); // never waits for the decisions publisher

    const after = await machineTasks();
    const note = `closed by the system: machine sold (MACHINE_SOLD since ${at(SOLD)})`;
    for (const t of open) {
      expect(after.find((x) => x.task_id === t.task_id)).toMatchObject({
        status: 'done',
        outcome: 'machine-sold',
        outcome_note: note,
        closed_at: new Date(CLOCK),
      });
    }
    expect(after.find((t) => t.family === 'experience')).toMatchObject({ status: 'open', outcome: null });
    const published = await outcomes();
    expect(published.map((o) => o.dedup_key)).toEqual(open.map((t) => t.task_id).sort());
    for (const o of published) {
      expect(o.payload).toMatchObject({
        id: `outcome:${o.dedup_key}`,
        dealerId: DEALER,
        taskId: o.dedup_key,
        customerId: 'c-1',
        serialNumber: S,
        branchId: 'b-home',
        outcome: 'machine-sold',
        note,
        completedBy: 'system',
        completedAt: at(CLOCK),
      });
    }
  });

  it('changes nothing when the suppression job runs again, and a closed task never escalates', async () => {
    const tasks = await machineTasks();
    const published = await outcomes();
    const [row] = await h.ds.query<{ id: string; dedup_key: string; payload: unknown }[]>(
      `SELECT id, dealer_id, dedup_key, payload FROM outbox
        WHERE kind = 'suppression' AND payload->>'reasonCode' = 'MACHINE_SOLD'`,
    );
    const again = await h.runtime.queue.add(
      'suppression',
      { outboxId: String(row.id), dealerId: DEALER, suppressionId: row.dedup_key, suppression: row.payload },
      { jobId: `again.${row.dedup_key}` },
    );
    await waitFor('second run done', async () => (await again.getState()) === 'completed');
    expect((await h.runtime.queue.getJob(again.id!))?.returnvalue).toBe('closed 0');
    expect(await machineTasks()).toEqual(tasks);
    expect(await outcomes()).toEqual(published);

    const done = tasks.find((t) => t.status === 'done')!;
    const esc = await h.runtime.queue.add(
      FollowupJob.Escalate,
      { dealerId: DEALER, taskId: done.task_id, dueAtMs: CLOCK - DAY },
      { jobId: `esc.${done.task_id}` },
    );
    await waitFor('escalation job done', async () => (await esc.getState()) === 'completed');
    expect((await h.runtime.queue.getJob(esc.id!))?.returnvalue).toBe('skipped: task done');
  });
});
