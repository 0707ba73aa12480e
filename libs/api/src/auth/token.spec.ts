import { generateToken, parseToken, secretMatches, sha256 } from './token';
import { tokenInputProblem } from './token-input';

describe('API tokens', () => {
  it('are rpt_<16 hex id>_<43 base64url chars> and store only the sha256 of the secret', () => {
    const { token, tokenId, secretSha256 } = generateToken();
    expect(token).toMatch(/^rpt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const parsed = parseToken(token)!;
    expect(parsed.tokenId).toBe(tokenId);
    expect(Buffer.from(parsed.secret, 'base64url')).toHaveLength(32);
    expect(secretMatches(parsed.secret, secretSha256)).toBe(true);
    expect(secretSha256).toBe(sha256(parsed.secret));
    expect(token).not.toContain(secretSha256);
  });

  it('reject a wrong secret and malformed tokens', () => {
    const a = generateToken();
    const b = parseToken(generateToken().token)!;
    expect(secretMatches(b.secret, a.secretSha256)).toBe(false);
    expect(parseToken('rpt_xyz_abc')).toBeUndefined();
    expect(parseToken(`${a.token} `)).toBeUndefined();
  });

  it('scopes: a manager needs a branch, an admin has none', () => {
    expect(tokenInputProblem({ dealerId: 'd1', role: 'manager' })).toBe(
      'a manager token needs --branch <id>',
    );
    expect(tokenInputProblem({ dealerId: 'd1', role: 'admin', branchId: 'A' })).toContain('drop --branch');
    expect(tokenInputProblem({ dealerId: 'd1', role: 'manager', branchId: 'A' })).toBeUndefined();
    expect(tokenInputProblem({ dealerId: 'd\n1', role: 'admin' })).toContain('--dealer');
    expect(tokenInputProblem({ role: 'admin' })).toBe('an admin token needs --dealer <id>');
    expect(tokenInputProblem({ role: 'manager', branchId: 'A' })).toBe('a manager token needs --dealer <id>');
  });

  it('scopes: an operator belongs to no dealer and no branch', () => {
    expect(tokenInputProblem({ role: 'operator' })).toBeUndefined();
    expect(tokenInputProblem({ role: 'operator', name: 'ops-oncall' })).toBeUndefined();
    expect(tokenInputProblem({ role: 'operator', dealerId: 'd1' })).toBe(
      'an operator token is not scoped to a dealer: drop --dealer',
    );
    expect(tokenInputProblem({ role: 'operator', branchId: 'A' })).toBe(
      'an operator token is not scoped to a branch: drop --branch',
    );
    expect(tokenInputProblem({ role: 'root' as never })).toBe(
      '--role must be one of admin, manager, operator',
    );
  });
});
