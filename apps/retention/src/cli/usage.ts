import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError, type Command, type CommanderError } from 'commander';
import { parseRuleSet, RuleSetError, type RuleSet } from '@rp/risk';

/**
 * A usage error found once the configuration is loaded (a flag or variable the command cannot work
 * with): one line on stderr naming it, exit code 2, and nothing done.
 */
export class UsageError extends Error {}

/** Exit code of a usage error, as for a bad configuration. */
export const USAGE_EXIT = 2;

/**
 * Makes commander's own usage errors of `cmd` (bad option value, unknown option, conflicts) exit with
 * USAGE_EXIT after its one-line message; help and version still exit 0.
 */
export function usageExitCode(cmd: Command): Command {
  return cmd.exitOverride((err: CommanderError) => process.exit(err.exitCode === 0 ? 0 : USAGE_EXIT));
}

/** Reports a UsageError (or an error of `also`'s classes) as a usage error; anything else is rethrown. */
export function reportUsage(
  command: string,
  err: unknown,
  also: (new (...a: never[]) => Error)[] = [],
): void {
  if (err instanceof UsageError || also.some((c) => err instanceof c)) {
    process.stderr.write(`${command}: ${(err as Error).message}\n`);
    process.exitCode = USAGE_EXIT;
    return;
  }
  throw err;
}

/** Commander argument parser of a file to be written: its folder exists and is writable. */
export function writableFile(v: string): string {
  const why = unwritable(v);
  if (why) throw new InvalidArgumentError(why);
  return v;
}

/** Why `file` cannot be written (undefined when it can). */
export function unwritable(file: string): string | undefined {
  const dir = dirname(resolve(file));
  try {
    if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
  } catch {
    return `folder ${dir} does not exist`;
  }
  try {
    if (statSync(file).isDirectory()) return `${file} is a directory`;
    accessSync(file, constants.W_OK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return `${file} is not writable`;
    try {
      accessSync(dir, constants.W_OK);
    } catch {
      return `folder ${dir} is not writable`;
    }
  }
  return undefined;
}

/** Reads and validates a rule-set JSON document, the problems on one line. */
export function readRuleSetFile(file: string): RuleSet {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new InvalidArgumentError(
      e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : `${e.message}`,
    );
  }
  try {
    return parseRuleSet(json);
  } catch (err) {
    if (err instanceof RuleSetError) {
      throw new InvalidArgumentError(`invalid rule set: ${err.problems.join('; ')}`);
    }
    throw err;
  }
}

/** Commander argument parser of a rule-set file: the file, read and validated at once. */
export const ruleSetOption = (v: string): { file: string; ruleSet: RuleSet } => ({
  file: v,
  ruleSet: readRuleSetFile(v),
});
