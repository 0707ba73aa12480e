import { dlqTopic } from '@rp/config';
import { createDataSource } from '@rp/database';
import { Metrics } from '@rp/observability';
import { DEFAULT_RULE_SET } from '@rp/risk';
import { ev, kindOf, testConfig, useMigratedSchema, type Ev } from '../../../../tests/support';
import { createIngestHandler } from '../ingest-handler';
import { loadRiskState } from '../risk-state/load-risk-state';
import { DEFAULT_VALUE_SETTINGS } from './decision-value';
import { sweepDue, type RiskStepOptions } from './risk-step';

/** PRODUCT "Routed to the customer's branch": a machine delivered by another branch is worked at the customer's. */
describe("decisions are routed to the customer's branch (ingest + risk sweep on Postgres)", () => {
  const DAY = 86_400_000;
  const NOW = Date.parse('2026-06-01T00:00:00Z');
  const DEALER = 'dealer-r';
  const config = testConfig();
  const t = config.topics;
  const ds = createDataSource(config.database);
  useMigratedSchema(ds, config.database.schema);
  const topicOf = { warranty: t.warranty, service: t.service, telematics: t.telematics };
  const risk: RiskStepOptions = {
    engine: { ruleSet: DEFAULT_RULE_SET, value: DEFAULT_VALUE_SETTINGS, loadState: loadRiskState },
    topics: [t.warranty, t.service],
    allowedLatenessMs: 0,
  };
  let offset = 0;
  const feed = async (events: Ev[]) => {
    const handle = createIngestHandler({
      ds,
      metrics: new Metrics(false),
      topicKinds: { [t.warranty]: 'warranty', [t.service]: 'service' },
      dlqTopicOf: dlqTopic,
      risk,
      onDue: () => undefined,
    });
    for (const e of events) {
      const topic = topicOf[kindOf(e.type)];
      await handle({
        topic,
        partition: 0,
        caughtUp: true,
        heartbeat: () => Promise.resolve(),
        messages: [
          {
            key: Buffer.from('k'),
            value: Buffer.from(JSON.stringify({ ...e, dealerId: DEALER })),
            headers: {},
            offset: String(offset++),
            timestamp: String(Date.parse(e.occurredAt)),
          },
        ],
      });
    }
  };
  const iso = (ms: number) => new Date(ms).toISOString();
  const day = (ms: number) => iso(ms).slice(0, 10);

  it("routes a machine decision to the customer's master branch, not the delivering branch", async () => {
    await feed([
      ev('cu-1', 'customer.upserted', iso(NOW - 400 * DAY), {
        customerId: 'c-1',
        name: 'Home Co',
        branchId: 'b-home',
      }),
      ev('wr-1', 'warranty.registered', iso(NOW - 300 * DAY), {
        serialNumber: 'SN-R1',
        customerId: 'c-1',
        branchId: 'b-sales',
        model: 'PC200-8',
        startsAt: day(NOW - 300 * DAY),
        endsAt: day(NOW + 60 * DAY),
      }),
      // A machine of a customer without master data: its own branch is the only one known.
      ev('wr-2', 'warranty.registered', iso(NOW - 300 * DAY), {
        serialNumber: 'SN-R2',
        customerId: 'c-2',
        branchId: 'b-sales',
        model: 'PC200-8',
        startsAt: day(NOW - 300 * DAY),
        endsAt: day(NOW + 60 * DAY),
      }),
    ]);
    await sweepDue(ds, risk, NOW);
    const rows = await ds.query<
      { customer_id: string; serial_number: string; reason_code: string; branch_id: string }[]
    >(
      `SELECT customer_id, serial_number, reason_code, branch_id FROM decisions
        WHERE reason_code = 'WARRANTY_ENDING_UNCOVERED' ORDER BY customer_id`,
    );
    expect(rows).toEqual([
      {
        customer_id: 'c-1',
        serial_number: 'SN-R1',
        reason_code: 'WARRANTY_ENDING_UNCOVERED',
        branch_id: 'b-home',
      },
      {
        customer_id: 'c-2',
        serial_number: 'SN-R2',
        reason_code: 'WARRANTY_ENDING_UNCOVERED',
        branch_id: 'b-sales',
      },
    ]);
  });
});
