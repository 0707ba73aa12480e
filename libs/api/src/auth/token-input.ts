import { API_ROLES, type ApiRole } from './token';

export interface NewTokenInput {
  role: ApiRole;
  /** Required for admin and manager tokens; an operator token has none. */
  dealerId?: string;
  branchId?: string;
  name?: string;
  /** Days until the token expires (refused from then on); none: it lasts until revoked. */
  expiresInDays?: number;
}

/** Longest expiry a token may be given: ten years. */
export const MAX_EXPIRY_DAYS = 3650;

/**
 * `--expires-in` as given on the command line ("90" or "90d") in days, or a message naming the problem.
 * Whole days only: a token's lifetime is a policy, not a stopwatch.
 */
export function parseExpiresIn(text: string): number | string {
  const m = /^([0-9]{1,5})d?$/.exec(text.trim());
  const days = m ? Number(m[1]) : NaN;
  if (!(days >= 1 && days <= MAX_EXPIRY_DAYS))
    return `--expires-in must be a whole number of days from 1 to ${MAX_EXPIRY_DAYS}, such as 90 or 90d`;
  return days;
}

const ROLES = API_ROLES;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Why an id cannot be used, or undefined. The event contract's rules: a dealer id is 1-64 characters (the
 * envelope's `dealerId`), a branch id 1-128 (`identifier`), any characters; control characters are refused
 * as the API's `branch` parameter refuses them (a token for such an id could never be used).
 */
export function idProblem(flag: string, id: string, max: 64 | 128): string | undefined {
  if (id.length < 1 || id.length > max) return `${flag} must be 1-${max} characters (got ${id.length})`;
  if (CONTROL.test(id)) return `${flag} must not contain control characters (tab, newline …)`;
  return undefined;
}

export const dealerIdProblem = (id: string): string | undefined => idProblem('--dealer', id, 64);

/** Checks the scope of a new token; returns a message naming the problem, or undefined when valid. */
export function tokenInputProblem(i: NewTokenInput): string | undefined {
  if (!(ROLES as readonly string[]).includes(i.role)) return `--role must be one of ${ROLES.join(', ')}`;
  if (i.role === 'operator') {
    if (i.dealerId !== undefined) return 'an operator token is not scoped to a dealer: drop --dealer';
    if (i.branchId !== undefined) return 'an operator token is not scoped to a branch: drop --branch';
  } else {
    if (i.dealerId === undefined)
      return `${i.role === 'admin' ? 'an admin' : 'a manager'} token needs --dealer <id>`;
    const dealer = dealerIdProblem(i.dealerId);
    if (dealer) return dealer;
    if (i.role === 'manager' && i.branchId === undefined) return 'a manager token needs --branch <id>';
    if (i.role === 'admin' && i.branchId !== undefined)
      return 'an admin token covers the whole dealer: drop --branch';
  }
  if (i.branchId !== undefined) {
    const branch = idProblem('--branch', i.branchId, 128);
    if (branch) return branch;
  }
  if (i.name !== undefined && (i.name.length < 1 || i.name.length > 100))
    return '--name must be 1-100 characters';
  if (
    i.expiresInDays !== undefined &&
    !(Number.isInteger(i.expiresInDays) && i.expiresInDays >= 1 && i.expiresInDays <= MAX_EXPIRY_DAYS)
  )
    return `--expires-in must be a whole number of days from 1 to ${MAX_EXPIRY_DAYS}`;
  return undefined;
}
