import { cliFromSource, isolatedEnv } from '../support';

const cli = cliFromSource;

/**
 * Usage errors of replay, backtest and iso-import: one line on stderr naming the flag, exit code 2,
 * found before any work (no stack trace, no JSON log, no schema or Kafka group created).
 */
describe('CLI usage errors (replay, backtest, iso-import)', () => {
  const env = { ...isolatedEnv(), ISO_DEALER_ID: '', ISO_ENDPOINT_URL: '' };

  it.each([
    [
      ['replay', '--name', 'Bad'],
      `error: option '--name <name>' argument 'Bad' is invalid. --name "Bad": use 1–40 lower-case letters, digits or _ starting with a letter`,
    ],
    [
      ['replay', '--drop', '--name', 'we"ird; DROP SCHEMA public'],
      `error: option '--name <name>' argument 'we"ird; DROP SCHEMA public' is invalid. --name "we"ird; DROP SCHEMA public": use 1–40 lower-case letters, digits or _ starting with a letter`,
    ],
    [
      ['replay', '--rebuild', '--topics', 'telematics', '--from', '2025-01-01', '--json', 'x.json'],
      'error: --rebuild does not take --topics, --from, --json: --rebuild always replays every input topic from the beginning into projections, with no report',
    ],
    [
      ['replay', '--rebuild', '--dealer', 'dealer-east'],
      'error: --rebuild does not take --dealer: --rebuild always replays every input topic from the beginning into projections, with no report',
    ],
    [
      ['replay', '--dealer', ''],
      `error: option '--dealer <id>' argument '' is invalid. a dealer id has 1 to 128 characters, got 0`,
    ],
    [
      ['replay', '--from', '2025-02-30'],
      `error: option '--from <position>' argument '2025-02-30' is invalid. --from: "2025-02-30" is not a valid date-time`,
    ],
    [
      ['replay', '--json', '/nonexistent/dir/x.json'],
      `error: option '--json <file>' argument '/nonexistent/dir/x.json' is invalid. folder /nonexistent/dir does not exist`,
    ],
    [
      ['backtest', '--replay', 'nope'],
      'backtest: --replay nope: no such replay (schema replay_nope has no projections; run `replay --name nope` first)',
    ],
    [
      ['backtest', '--rule-set', '/nonexistent/rules.json'],
      `error: option '--rule-set <file>' argument '/nonexistent/rules.json' is invalid. no such file`,
    ],
    [
      ['backtest', '--from', '2025-06', '--to', '2024-01'],
      'error: --from 2025-06 is after --to 2024-01: no cut-off between them',
    ],
    [
      ['iso-import', '--file', 'x.xml'],
      'iso-import: no dealer: pass --dealer <dealerId> (1-64 characters) or set ISO_DEALER_ID',
    ],
    [['iso-import', '--poll', '--dealer', 'd1'], 'iso-import: --poll: ISO_ENDPOINT_URL is not set'],
  ])('%j: one line naming the problem, exit 2', async (args, message) => {
    const { code, out, err } = await cli(args, env);
    expect({ code, out, err }).toEqual({ code: 2, out: '', err: `${message}\n` });
  });
});
