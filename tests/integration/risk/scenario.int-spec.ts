import { publishDecisions } from '@rp/ingest';
import { DEFAULT_RULE_SET } from '@rp/risk';
import {
  ev,
  ingestHarness,
  produceEvents,
  testConfig,
  waitFor,
  type Ev,
  type IngestHarness,
} from '../../support';

const DAY = 86_400_000;
const at = (ms: number) => new Date(ms).toISOString();
const T0 = Date.UTC(2025, 2, 1); // delivery 2025-03-01, standard warranty one year
const EXPIRY = Date.UTC(2026, 2, 1);

/** One machine's life told as events; `extra` adds what distinguishes the variants. */
function life(dealerId: string, extra: Ev[] = []): Ev[] {
  const serial = `${dealerId}-PC200`;
  const c = { customerId: 'c-1', branchId: 'b-1' };
  const out: Ev[] = [
    ev(`${dealerId}-cu`, 'customer.upserted', at(T0 - DAY), { ...c, name: 'Builder Co' }, dealerId),
    ev(
      `${dealerId}-wr`,
      'warranty.registered',
      at(T0),
      {
        serialNumber: serial,
        ...c,
        model: 'PC200-8',
        startsAt: '2025-03-01',
        endsAt: '2026-03-01',
      },
      dealerId,
    ),
    ev(
      `${dealerId}-wx`,
      'warranty.expired',
      at(EXPIRY),
      { serialNumber: serial, endedAt: '2026-03-01', coverage: 'standard' },
      dealerId,
    ),
  ];
  for (let w = 1; w <= 85; w++) {
    out.push(
      ev(
        `${dealerId}-t${w}`,
        'telematics.snapshot',
        at(T0 + w * 7 * DAY),
        {
          serialNumber: serial,
          cumulativeOperatingHours: w * 20,
          engineRunning: true,
          location: { latitude: 31.2, longitude: 121.5 },
        },
        dealerId,
      ),
    );
  }
  return [
    ...out,
    ...extra.map((e) => ({
      ...e,
      dealerId,
      data: { ...e.data, serialNumber: e.data.serialNumber && serial },
    })),
  ];
}

const workOrder60DaysAfter = [
  ev('wo-o', 'work-order.opened', at(EXPIRY + 60 * DAY), {
    workOrderId: 'wo-1',
    customerId: 'c-1',
    branchId: 'b-1',
    serialNumber: 'x',
    kind: 'maintenance',
  }),
  ev('wo-c', 'work-order.closed', at(EXPIRY + 61 * DAY), {
    workOrderId: 'wo-1',
    customerId: 'c-1',
    branchId: 'b-1',
    serialNumber: 'x',
    kind: 'maintenance',
    laborAmount: 900,
    partsAmount: 400,
    currency: 'EUR',
  }),
];
const soldBeforeExpiry = [
  ev('own', 'ownership.transferred', at(EXPIRY - 30 * DAY), {
    serialNumber: 'x',
    fromCustomerId: 'c-1',
    toCustomerId: 'c-2',
  }),
];

interface Row {
  dealer_id: string;
  customer_id: string;
  decision_id: string;
  reason_code: string;
  serial_number: string | null;
  detected_at: Date;
  priority: string;
  message: string;
  evidence_event_ids: string[];
}

describe('risk engine scenarios (real Kafka and Postgres)', () => {
  const runs: { h: IngestHarness; schema: string; decisionsTopic: string }[] = [];
  const allEvents = [
    ...life('d-plain'),
    ...life('d-serviced', workOrder60DaysAfter),
    ...life('d-sold', soldBeforeExpiry),
  ];

  async function run(events: Ev[]): Promise<Row[]> {
    const config = testConfig();
    const h = await ingestHarness(config, { ruleSet: DEFAULT_RULE_SET, allowedLatenessMs: 7 * DAY });
    runs.push({ h, schema: config.database.schema, decisionsTopic: config.topics.decisions });
    await produceEvents(h.producer, config.topics, events);
    await h.startConsumer();
    const q = (sql: string) => h.ds.query<{ n: number }[]>(sql.replaceAll('§', config.database.schema));
    await waitFor(
      'all events applied',
      async () => (await q('SELECT count(*)::int AS n FROM §.processed_events'))[0].n === events.length,
      60_000,
    );
    // Everything read and caught up: the watermark is the newest event time minus the lateness.
    await waitFor(
      'timers up to the watermark fired',
      async () => {
        const due = await q(
          `SELECT count(*)::int AS n FROM §.risk_timers WHERE due_at <= '${at(T0 + 85 * 7 * DAY - 7 * DAY)}'`,
        );
        return due[0].n === 0;
      },
      60_000,
    );
    return h.ds.query<Row[]>(
      `SELECT dealer_id, customer_id, decision_id, reason_code, serial_number, detected_at, priority, message, evidence_event_ids
         FROM ${config.database.schema}.decisions ORDER BY dealer_id, decision_id`,
    );
  }
  afterAll(async () => {
    for (const r of runs) await r.h.close();
  });

  let first: Row[];
  it('a machine with no dealer visit after warranty gets exactly one POST_WARRANTY_NO_SERVICE, 120 days after expiry', async () => {
    first = await run(allEvents);
    // c-1 is the customer of each life; on d-sold the machine now belongs to c-2, a relationship of its own.
    const pw = first.filter((d) => d.reason_code === 'POST_WARRANTY_NO_SERVICE' && d.customer_id === 'c-1');
    expect(pw.map((d) => d.dealer_id)).toEqual(['d-plain']);
    expect(pw[0].serial_number).toBe('d-plain-PC200');
    expect(pw[0].detected_at.toISOString()).toBe(at(EXPIRY + 120 * DAY));
    expect(pw[0].evidence_event_ids).toEqual(expect.arrayContaining(['d-plain-wr']));
    expect(pw[0].message).toContain('first post-warranty service not booked at the dealer');
  });

  it('a dealer work order 60 days after expiry prevents it; a sold machine gets none for the customer who sold it', async () => {
    expect(
      first.filter((d) => d.dealer_id === 'd-serviced' && d.reason_code === 'POST_WARRANTY_NO_SERVICE'),
    ).toEqual([]);
    const sold = first.filter(
      (d) => d.dealer_id === 'd-sold' && d.customer_id === 'c-1' && d.serial_number !== null,
    );
    expect(sold.filter((d) => d.detected_at.getTime() >= EXPIRY - 30 * DAY)).toEqual([]);
    const { h, schema } = runs[0];
    const suppressed = await h.ds.query<{ reason_code: string; customer_id: string }[]>(
      `SELECT DISTINCT reason_code, customer_id FROM ${schema}.suppressions WHERE dealer_id = 'd-sold'`,
    );
    expect(suppressed).toEqual([{ reason_code: 'MACHINE_SOLD', customer_id: 'c-1' }]);
  });

  it('the same events into fresh state, and shuffled within the allowed lateness, give identical decisions', async () => {
    const shape = (rows: Row[]) =>
      rows.map((r) => [r.decision_id, r.reason_code, r.priority, r.detected_at.toISOString()]);
    expect(first.length).toBeGreaterThan(0);
    const again = await run(allEvents);
    expect(shape(again)).toEqual(shape(first));
    // Deterministic shuffle: events swapped with neighbours less than 3 days apart (lateness is 7 days).
    const shuffled = [...allEvents].sort((a, b) => {
      const bucket = (e: Ev) => Math.floor(Date.parse(e.occurredAt) / (3 * DAY));
      return bucket(a) - bucket(b) || (a.eventId < b.eventId ? 1 : -1);
    });
    const late = await run(shuffled);
    expect(shape(late)).toEqual(shape(first));
  });

  it('every decision waits in the outbox until published (a crash before publishing loses nothing)', async () => {
    const { h, schema } = runs[0];
    const outbox = await h.ds.query<{ dedup_key: string; published_at: Date | null }[]>(
      `SELECT dedup_key, published_at FROM ${schema}.outbox WHERE kind = 'decision' ORDER BY dedup_key`,
    );
    expect(outbox.map((o) => o.dedup_key)).toEqual([...first.map((d) => d.decision_id)].sort());
    expect(outbox.every((o) => o.published_at === null)).toBe(true);

    expect(await publishDecisions(h.ds, h.producer, runs[0].decisionsTopic)).toBe(first.length);
    expect(await publishDecisions(h.ds, h.producer, runs[0].decisionsTopic)).toBe(0);
    const admin = h.kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(runs[0].decisionsTopic);
    await admin.disconnect();
    expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(first.length);
  });
});
