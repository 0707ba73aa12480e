import { createDataSource } from '@rp/database';
import { buildReplayReport, formatReplayReport, type ReplayRun } from '@rp/replay';
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

  it('counts decisions by (dealer, branch): two dealers sharing a branch id are not added together', async () => {
    for (const i of [1, 2, 3]) await decide('dealer-east', `a${i}`, 'b-1');
    for (const i of [1, 2]) await decide('dealer-west', `b${i}`, 'b-1');
    await decide('dealer-west', 'b3', 'b-2');
    await decide('dealer-west', 'b4', null);
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
});
