import { Command, CommanderError } from 'commander';
import { registerWebhooks } from './webhooks';

/** Runs `webhooks …` through commander; returns the error it printed (boot is never reached here). */
async function run(args: string[]): Promise<{ error: string; booted: boolean }> {
  let error = '';
  let booted = false;
  const program = new Command()
    .exitOverride()
    .configureOutput({ writeErr: (s) => (error += s), writeOut: () => undefined });
  registerWebhooks(program, () => {
    booted = true;
    return () => Promise.resolve();
  });
  try {
    await program.parseAsync(['node', 'retention', 'webhooks', ...args]);
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
  }
  return { error, booted };
}

const SUB = 'sub_0123456789abcdef';

describe('webhooks: --dealer as the event contract has it', () => {
  it.each([
    [['disable', SUB, '--dealer', 'd'.repeat(65)]],
    [['rotate', SUB, '--dealer', 'd'.repeat(65)]],
    [['list', '--dealer', 'd'.repeat(65)]],
  ])('%j names the problem before touching the database', async (args) => {
    expect(await run(args)).toEqual({
      error: 'error: --dealer must be 1-64 characters (got 65)\n',
      booted: false,
    });
  });

  it('refuses control characters and accepts any other dealer id', async () => {
    expect((await run(['list', '--dealer', 'd\t1'])).error).toBe(
      'error: --dealer must not contain control characters (tab, newline …)\n',
    );
    expect(await run(['disable', SUB, '--dealer', 'dealer/east 7'])).toEqual({ error: '', booted: true });
  });
});
