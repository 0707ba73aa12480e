import { MAX_EXPIRY_DAYS, dealerIdProblem, parseExpiresIn, tokenInputProblem } from './token-input';
import type { NewTokenInput } from './token-input';

const manager = (dealerId: string, branchId: string): NewTokenInput => ({
  role: 'manager',
  dealerId,
  branchId,
});

describe('tokens create: dealer and branch ids as the event contract has them', () => {
  it.each([
    ['Nord 7', 'a branch id with a space'],
    ['b/7', "a branch id with '/'"],
    ['Zweigstelle München-Süd', 'non-ASCII letters'],
    ['b'.repeat(128), '128 characters'],
  ])('accepts %j (%s)', (branch) => {
    expect(tokenInputProblem(manager('d1', branch))).toBeUndefined();
  });

  it('accepts dealer ids with any characters up to 64', () => {
    expect(tokenInputProblem({ role: 'admin', dealerId: 'dealer/east' })).toBeUndefined();
    expect(tokenInputProblem({ role: 'admin', dealerId: 'Händler Ost' })).toBeUndefined();
    expect(tokenInputProblem({ role: 'admin', dealerId: 'd'.repeat(64) })).toBeUndefined();
  });

  it('names the real problem: length (with the length given) or control characters', () => {
    expect(tokenInputProblem(manager('d1', 'b'.repeat(129)))).toBe(
      '--branch must be 1-128 characters (got 129)',
    );
    expect(tokenInputProblem(manager('d1', ''))).toBe('--branch must be 1-128 characters (got 0)');
    expect(tokenInputProblem(manager('d1', 'Nord\t7'))).toBe(
      '--branch must not contain control characters (tab, newline …)',
    );
    expect(tokenInputProblem({ role: 'admin', dealerId: 'd'.repeat(65) })).toBe(
      '--dealer must be 1-64 characters (got 65)',
    );
    expect(tokenInputProblem({ role: 'admin', dealerId: 'd\n1' })).toBe(
      '--dealer must not contain control characters (tab, newline …)',
    );
  });

  it('keeps the scope rules of the roles', () => {
    expect(tokenInputProblem({ role: 'boss' as never })).toBe(
      '--role must be one of admin, manager, operator',
    );
    expect(tokenInputProblem({ role: 'manager', dealerId: 'd1' })).toBe(
      'a manager token needs --branch <id>',
    );
    expect(tokenInputProblem({ role: 'admin', dealerId: 'd1', branchId: 'b' })).toBe(
      'an admin token covers the whole dealer: drop --branch',
    );
    expect(tokenInputProblem({ role: 'operator', dealerId: 'd1' })).toBe(
      'an operator token is not scoped to a dealer: drop --dealer',
    );
    expect(tokenInputProblem({ role: 'admin' })).toBe('an admin token needs --dealer <id>');
    expect(tokenInputProblem({ role: 'operator', name: '' })).toBe('--name must be 1-100 characters');
    expect(tokenInputProblem({ role: 'operator' })).toBeUndefined();
  });

  it('dealerIdProblem is the rule webhooks list, disable and rotate use too', () => {
    expect(dealerIdProblem('dealer/east')).toBeUndefined();
    expect(dealerIdProblem('x'.repeat(65))).toBe('--dealer must be 1-64 characters (got 65)');
  });
});

describe('tokens create --expires-in', () => {
  const problem = `--expires-in must be a whole number of days from 1 to ${MAX_EXPIRY_DAYS}, such as 90 or 90d`;

  it('reads whole days, with or without a d', () => {
    expect([
      parseExpiresIn('90'),
      parseExpiresIn('90d'),
      parseExpiresIn(' 7d '),
      parseExpiresIn('1'),
    ]).toEqual([90, 90, 7, 1]);
    expect(parseExpiresIn(String(MAX_EXPIRY_DAYS))).toBe(MAX_EXPIRY_DAYS);
  });

  it.each(['0', '0d', String(MAX_EXPIRY_DAYS + 1), '1.5', '90h', '-1', 'd', '', 'soon', '1e3'])(
    'refuses %j, naming the flag and what it takes',
    (text) => {
      expect(parseExpiresIn(text)).toBe(problem);
    },
  );

  it('checks the number given programmatically too', () => {
    const admin = { role: 'admin' as const, dealerId: 'd1' };
    expect(tokenInputProblem({ ...admin, expiresInDays: 30 })).toBeUndefined();
    for (const days of [0, 1.5, MAX_EXPIRY_DAYS + 1, Number.NaN]) {
      expect(tokenInputProblem({ ...admin, expiresInDays: days })).toBe(
        `--expires-in must be a whole number of days from 1 to ${MAX_EXPIRY_DAYS}`,
      );
    }
  });
});
