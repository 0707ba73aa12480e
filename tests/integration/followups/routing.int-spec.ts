import { dlqTopic } from '@rp/config';
import { taskIdFor } from '@rp/followups';
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
 * A decision whose customer has no branch yet (no master data, no machine with a branch) is not lost:
 * its task is stored unrouted (branch_id ''), for dealer admins, and routed when the branch becomes known.
 */
describe('unrouted follow-up tasks (ingest projections + followups runtime)', () => {
  const NOW = Date.parse('2026-06-01T00:00:00Z');
  let h: FollowupsHarness;
  let feed: (events: Ev[]) => Promise<void>;
  let risk: RiskStepOptions;
  beforeAll(async () => {
    h = await followupsHarness({}, () => NOW);
    const t = h.config.topics;
    risk = {
      engine: { ruleSet: DEFAULT_RULE_SET, value: DEFAULT_VALUE_SETTINGS, loadState: loadRiskState },
      topics: [t.service],
      allowedLatenessMs: 0,
    };
    const handle = createIngestHandler({
      ds: h.ds,
      metrics: new Metrics(false),
      topicKinds: { [t.service]: 'service' },
      dlqTopicOf: dlqTopic,
      risk,
      onDue: () => undefined,
    });
    let offset = 0;
    feed = async (events) => {
      await handle({
        topic: t.service,
        partition: 0,
        caughtUp: true,
        heartbeat: () => Promise.resolve(),
        messages: events.map((e) => ({
          key: Buffer.from('k'),
          value: Buffer.from(JSON.stringify({ ...e, dealerId: DEALER })),
          headers: {},
          offset: String(offset++),
          timestamp: String(Date.parse(e.occurredAt)),
        })),
      });
    };
  });
  afterAll(async () => {
    await h.close();
  });

  const taskOf = async (customerId: string) =>
    h.ds.query<{ task_id: string; branch_id: string; status: string; family: string }[]>(
      'SELECT task_id, branch_id, status, family FROM tasks WHERE customer_id = $1',
      [customerId],
    );

  it('opens an unrouted task for a detractor without master data, routed when it arrives', async () => {
    const at = new Date(NOW - DAY).toISOString();
    await feed([
      ev('sv-ghost', 'survey.responded', at, { surveyId: 'sv-ghost', customerId: 'c-ghost', nps: 1 }),
    ]);
    await sweepDue(h.ds, risk, NOW);
    const decisions = await h.ds.query<{ reason_code: string; branch_id: string }[]>(
      `SELECT reason_code, branch_id FROM decisions WHERE customer_id = 'c-ghost'`,
    );
    expect(decisions).toEqual([{ reason_code: 'DETRACTOR', branch_id: '' }]);
    h.runtime.wakeRelay();
    await waitFor('task of c-ghost', async () => (await taskOf('c-ghost')).length === 1);
    expect(await taskOf('c-ghost')).toMatchObject([{ branch_id: '', status: 'open', family: 'experience' }]);
    const [td] = await h.ds.query<{ result: string }[]>('SELECT result FROM task_decisions');
    expect(td.result).toBe('created');

    await feed([
      ev('cu-ghost', 'customer.upserted', new Date(NOW).toISOString(), {
        customerId: 'c-ghost',
        name: 'Ghost Co',
        branchId: 'b-home',
      }),
    ]);
    expect(await taskOf('c-ghost')).toMatchObject([{ branch_id: 'b-home', status: 'open' }]);
  });

  it("moves the open tasks of the customer named by customer.upserted to its branch (not done ones, not other customers')", async () => {
    const mk = (customerId: string, branchId: string, reasonCode: 'PURCHASE_GAP' | 'DETRACTOR') =>
      valuedDecision({ customerId, branchId, reasonCode, serialNumber: null, detectedAtMs: NOW });
    const routed = mk('c-r', 'b-old', 'PURCHASE_GAP');
    const open = mk('c-r', '', 'DETRACTOR');
    const other = mk('c-other', '', 'PURCHASE_GAP');
    const done = mk('c-done', '', 'PURCHASE_GAP');
    await h.publish([routed, open, other, done]);
    await h.waitApplied(5);
    await h.ds.query(
      `UPDATE tasks SET status = 'done', outcome = 'unreachable', closed_at = now() WHERE customer_id = 'c-done'`,
    );
    await feed(
      ['c-r', 'c-done'].map((c) =>
        ev(`cu-${c}`, 'customer.upserted', new Date(NOW).toISOString(), {
          customerId: c,
          name: c,
          branchId: 'b-new',
        }),
      ),
    );
    const rows = await h.ds.query<{ customer_id: string; family: string; branch_id: string }[]>(
      `SELECT customer_id, family, branch_id FROM tasks WHERE customer_id IN ('c-r', 'c-other', 'c-done')
        ORDER BY customer_id, family`,
    );
    expect(rows).toEqual([
      { customer_id: 'c-done', family: 'lapse', branch_id: '' },
      { customer_id: 'c-other', family: 'lapse', branch_id: '' },
      { customer_id: 'c-r', family: 'experience', branch_id: 'b-new' },
      { customer_id: 'c-r', family: 'lapse', branch_id: 'b-new' },
    ]);
  });

  it('routes an unrouted task when a later decision for the customer names the branch', async () => {
    const first = valuedDecision({ customerId: 'c-m', branchId: '' });
    const second = valuedDecision({ customerId: 'c-m', branchId: 'b-m', reasonCode: 'MAINTENANCE_OVERDUE' });
    await h.publish([first]);
    await h.waitApplied(6);
    expect(await taskOf('c-m')).toMatchObject([{ task_id: taskIdFor(DEALER, first.id), branch_id: '' }]);
    await h.publish([second]);
    await h.waitApplied(7);
    expect(await taskOf('c-m')).toMatchObject([{ task_id: taskIdFor(DEALER, first.id), branch_id: 'b-m' }]);
  });

  it("takes the customer's branch from master data that arrived before the decision was applied", async () => {
    await feed([
      ev('cu-early', 'customer.upserted', new Date(NOW).toISOString(), {
        customerId: 'c-early',
        name: 'Early Co',
        branchId: 'b-early',
      }),
    ]);
    await h.publish([valuedDecision({ customerId: 'c-early', branchId: '' })]);
    await h.waitApplied(8);
    expect(await taskOf('c-early')).toMatchObject([{ branch_id: 'b-early', status: 'open' }]);
  });

  it('a claimed task stays with its assignee when its customer moves, unless it was unrouted', async () => {
    const mk = (branchId: string, reasonCode: 'PURCHASE_GAP' | 'DETRACTOR') =>
      valuedDecision({ customerId: 'c-cl', branchId, reasonCode, serialNumber: null, detectedAtMs: NOW });
    await h.publish([mk('b-old', 'PURCHASE_GAP'), mk('', 'DETRACTOR')]);
    await h.waitApplied(10);
    await h.ds.query(`UPDATE tasks SET status = 'claimed', assignee = 'ann' WHERE customer_id = 'c-cl'`);
    await feed([
      ev('cu-c-cl', 'customer.upserted', new Date(NOW).toISOString(), {
        customerId: 'c-cl',
        name: 'c-cl',
        branchId: 'b-new',
      }),
    ]);
    const rows = await taskOf('c-cl');
    expect(rows.map((r) => [r.family, r.branch_id, r.status]).sort()).toEqual([
      ['experience', 'b-new', 'claimed'],
      ['lapse', 'b-old', 'claimed'],
    ]);
  });

  it('a decision swept before its customer moved is applied in the new branch (created or merged)', async () => {
    await feed([
      ev('cu-c-late', 'customer.upserted', new Date(NOW).toISOString(), {
        customerId: 'c-late',
        name: 'c-late',
        branchId: 'b-new',
      }),
    ]);
    const late = (reasonCode: 'PURCHASE_GAP' | 'ACTIVE_BUT_SILENT') =>
      valuedDecision({
        customerId: 'c-late',
        branchId: 'b-old',
        reasonCode,
        serialNumber: null,
        detectedAtMs: NOW,
      });
    await h.publish([late('PURCHASE_GAP')]);
    await h.waitApplied(11);
    expect(await taskOf('c-late')).toMatchObject([{ branch_id: 'b-new', status: 'open' }]);
    await h.publish([late('ACTIVE_BUT_SILENT')]);
    await h.waitApplied(12);
    expect(await taskOf('c-late')).toMatchObject([{ branch_id: 'b-new', status: 'open', family: 'lapse' }]);
  });
});
