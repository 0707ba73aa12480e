import { createDataSource } from '@rp/database';
import { buildReplayReport, checkReportDealer, formatReplayReport, type ReplayRun } from '@rp/replay';
import { testConfig, useMigratedSchema } from '../../support';

/** The replay report over a schema holding several dealers (a replay reads every dealer of the topics). */
describe('replay report', () => {
  const config = testConfig();
  const schema = config.database.schema;
  const ds = createDataSource({ ...config.database, poolSize: 2 });
  useMigratedSchema(ds, schema);

  const decide = (dealer: string, id: string, branch: string | null) =>
    ds.query(
      `INSERT INTO decisions (dealer_id, decision_id, customer_id, branch_id, reason_code, family, message,
         evidence_event_ids, rule_id, rule_version, episode, detected_at, clv, p_lapse, value_at_risk, priority)
       VALUES ($1, $2, 'c1', $3, 'DETRACTOR', 'experience', 'm', '[]', 'r', '1', 'e',
         '2025-03-03T00:00:00Z', 1, 0.1, 1, 1)`,
      [dealer, id, branch],
    );

  const run = {
    name: 'x',
    status: 'complete',
    ruleSetVersion: 'v',
    ranges: [],
    topics: [],
    fromSpec: 'beginning',
    toSpec: 'end',
    resumed: 0,
  } as unknown as ReplayRun;

  it('counts decisions by (dealer, branch): two dealers sharing a branch id are not added together', async () => {
    for (const i of [1, 2, 3]) await decide('dealer-east', `a${i}`, 'b-1');
    for (const i of [1, 2]) await decide('dealer-west', `b${i}`, 'b-1');
    await decide('dealer-west', 'b3', 'b-2');
    await decide('dealer-west', 'b4', null);

    const report = await buildReplayReport(ds, run, 'no_such_live_schema', 0);

    expect(report.decisions.byBranch).toEqual([
      { dealer: 'dealer-east', branch: 'b-1', count: 3 },
      { dealer: 'dealer-west', branch: 'b-1', count: 2 },
      { dealer: 'dealer-west', branch: 'b-2', count: 1 },
      { dealer: 'dealer-west', branch: '(none)', count: 1 },
    ]);
    const text = formatReplayReport(report);
    const section = text.split('Decisions by branch\n')[1].split('\n\n')[0];
    expect(section).toBe(
      [
        'dealer       branch  decisions',
        '-----------  ------  ---------',
        'dealer-east  b-1             3',
        'dealer-west  b-1             2',
        'dealer-west  b-2             1',
        'dealer-west  (none)          1',
      ].join('\n'),
    );
    // The JSON report (`--json`) carries the dealer too.
    expect(JSON.parse(JSON.stringify(report)).decisions.byBranch[1]).toEqual({
      dealer: 'dealer-west',
      branch: 'b-1',
      count: 2,
    });
  });

  it("--dealer: decisions, suppressions and the comparison with live are that dealer's only", async () => {
    await ds.query('DELETE FROM decisions');
    await decide('dealer-east', 'a1', 'b-1');
    for (const i of [1, 2, 3, 4]) await decide('dealer-west', `b${i}`, i < 3 ? 'b-1' : i < 4 ? 'b-2' : null);
    await decide('dealer-east', 'a2', 'b-1');
    await decide('dealer-east', 'a3', 'b-2');
    await ds.query(
      `INSERT INTO suppressions (dealer_id, suppression_id, customer_id, serial_number, reason_code, message,
         evidence_event_ids, rule_id, rule_version, episode, since, detected_at)
       VALUES ('dealer-east', 's1', 'c1', 'SN1', 'MACHINE_SOLD', 'm', '[]', 'r', '1', 'e', now(), now()),
              ('dealer-west', 's2', 'c1', 'SN2', 'MACHINE_PARKED', 'm', '[]', 'r', '1', 'e', now(), now())`,
    );
    await ds.query(
      `INSERT INTO processed_events (dealer_id, event_id, topic, kafka_partition, kafka_offset, occurred_at)
       VALUES ('dealer-east', 'e1', 't', 0, 0, '2025-03-01T00:00:00Z'),
              ('dealer-west', 'e2', 't', 0, 1, '2025-03-01T00:00:00Z')`,
    );
    await ds.query(
      `INSERT INTO stream_watermarks (topic, kafka_partition, max_event_at, caught_up)
       VALUES ('t', 0, '2025-04-01T00:00:00Z', true)`,
    );
    const read: ReplayRun = { ...run, topics: ['t'] };
    // Compared with itself as "live": only the chosen dealer's decisions are counted on both sides.
    const west = await buildReplayReport(ds, read, schema, 0, 'dealer-west');
    expect(west.dealer).toBe('dealer-west');
    expect(west.decisions.total).toBe(4);
    expect(west.decisions.byBranch.map((b) => b.dealer)).toEqual([
      'dealer-west',
      'dealer-west',
      'dealer-west',
    ]);
    expect(west.decisions.byReason).toEqual([{ key: 'DETRACTOR', count: 4 }]);
    expect(west.suppressions.byReason).toEqual([{ key: 'MACHINE_PARKED', count: 1 }]);
    expect(west.live).toMatchObject({ total: 4, same: 4, changed: 0, onlyLive: 0, onlyReplay: 0 });
    expect(formatReplayReport(west).split('\n')[0]).toBe(
      `Replay "x" (complete) — schema ${schema}, rule set v; decisions of dealer dealer-west only`,
    );
    const all = await buildReplayReport(ds, read, schema, 0);
    expect([all.dealer, all.decisions.total, all.live?.total, all.suppressions.total]).toEqual([
      null,
      7,
      7,
      2,
    ]);

    await expect(checkReportDealer(ds, 'dealer-west')).resolves.toBeUndefined();
    await expect(checkReportDealer(ds, 'dealer-north')).rejects.toThrow(
      '--dealer dealer-north: the replay read no event of that dealer (dealers read: dealer-east, dealer-west)',
    );
  });
});
