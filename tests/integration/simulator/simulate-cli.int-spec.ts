import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { testConfig } from '../../support';

const ROOT = resolve(__dirname, '../../..');

/** `retention simulate …` from the sources (no build needed): exit code and all output. */
function simulate(args: string[], env: Record<string, string> = {}): { code: number | null; output: string } {
  const run = spawnSync(
    'node',
    [
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'apps/retention/src/main.ts',
      'simulate',
      ...args,
    ],
    {
      cwd: ROOT,
      env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), LOG_LEVEL: 'warn', ...env },
      encoding: 'utf8',
    },
  );
  return { code: run.status, output: `${run.stdout}${run.stderr}` };
}

const SMALL = ['--machines', '5', '--months', '1', '--start', '2024-01-01'];

/** Usage errors of `simulate`: one line naming the problem, exit 2, nothing written or produced. */
describe('simulate usage errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-cli-'));

  it.each([
    [['--machines', '0', '--out', join(dir, 'a')], /^error: option '--machines <n>' argument '0' is invalid/],
    [
      [...SMALL, '--out', '/etc/passwd/x'],
      /^error: option '--out <dir>' argument '\/etc\/passwd\/x' is invalid/,
    ],
    [
      [...SMALL, '--out', join(dir, 'b'), '--labels', '/etc/passwd/l.json'],
      /^error: option '--labels <file>' argument '\/etc\/passwd\/l.json' is invalid/,
    ],
    [
      [...SMALL, '--customers', '1', '--out', join(dir, 'c')],
      /^error: --customers 1 leaves no buyer for machine-sold machines \(the default --mix includes it\)/,
    ],
  ])('%j', (args, message) => {
    const run = simulate(args);
    expect(run.code).toBe(2);
    expect(run.output).toMatch(message);
    expect(run.output.trim().split('\n')).toHaveLength(1);
    expect(existsSync(join(dir, 'b'))).toBe(false);
  });

  it('a missing Kafka topic is a usage error naming it and the topics command', () => {
    const config = testConfig();
    const run = simulate([...SMALL, '--kafka', '--labels', join(dir, 'k.json')], {
      KAFKA_BROKERS: config.kafka.brokers.join(','),
      // Every topic named: a fresh broker has none of the default ones either.
      TOPIC_TELEMATICS: 'sim-cli.no-such-topic',
      TOPIC_WARRANTY: 'sim-cli.no-such-warranty',
      TOPIC_SERVICE: 'sim-cli.no-such-service',
    });
    expect(run.output.trim()).toBe(
      'simulate: --kafka: topics sim-cli.no-such-topic, sim-cli.no-such-warranty, sim-cli.no-such-service do not exist; create the topics first with the `topics` command',
    );
    expect(run.code).toBe(2);
    expect(existsSync(join(dir, 'k.json'))).toBe(false);
  });

  it('--customers 1 is fine when no machine can be sold', () => {
    const run = simulate([...SMALL, '--customers', '1', '--mix', 'loyal=1', '--out', join(dir, 'd')]);
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, 'd', 'labels.json'))).toBe(true);
  });
});

/** Event ids name the run: the same flags give the same bytes, another --start gives other ids. */
describe('simulate event ids', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-ids-'));
  const run = (name: string, start: string): string => {
    const flags = ['--seed', '7', '--dealer', 'ids-dealer', '--machines', '6', '--months', '2'];
    const done = simulate([...flags, '--start', start, '--out', join(dir, name)]);
    expect(done.code).toBe(0);
    return readFileSync(join(dir, name, 'events.ndjson'), 'utf8');
  };
  const ids = (ndjson: string) =>
    ndjson
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { event: { eventId: string } }).event.eventId);

  it('a re-run with the same flags writes byte-identical NDJSON; one a month later shares no event id', () => {
    const june = run('june', '2026-06-01');
    expect(run('june-again', '2026-06-01')).toBe(june);
    const july = ids(run('july', '2026-07-01'));
    const seen = new Set(ids(june));
    expect(seen.size).toBeGreaterThan(100);
    expect(july.filter((id) => seen.has(id))).toEqual([]);
  });
});
