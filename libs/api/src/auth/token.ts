import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Roles inside one dealer: an admin of the dealer, a manager of one branch. */
export type DealerRole = 'admin' | 'manager';
/** Every token role: the dealer roles, and `operator`, platform staff with no dealer scope. */
export type ApiRole = DealerRole | 'operator';
export const API_ROLES: readonly ApiRole[] = ['admin', 'manager', 'operator'];

/** Who is calling the dealer API: an admin sees the whole dealer, a manager only their branch. */
export interface Caller {
  tokenId: string;
  dealerId: string;
  role: DealerRole;
  branchId?: string;
  /** The name recorded as assignee when this caller claims a task. */
  subject: string;
}

/** Platform staff running the pipeline (queue dashboard); sees no dealer's tasks through the API. */
export interface Operator {
  tokenId: string;
  role: 'operator';
  subject: string;
}

/** Whoever a valid token belongs to. */
export type Principal = Caller | Operator;

const PREFIX = 'rpt';
const TOKEN_RE = /^rpt_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** A new token: `rpt_<id>_<secret>`; only the id and the sha256 of the 32-byte secret are stored. */
export function generateToken(): { token: string; tokenId: string; secretSha256: string } {
  const tokenId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { token: `${PREFIX}_${tokenId}_${secret}`, tokenId, secretSha256: sha256(secret) };
}

export function parseToken(token: string): { tokenId: string; secret: string } | undefined {
  const m = TOKEN_RE.exec(token);
  return m ? { tokenId: m[1], secret: m[2] } : undefined;
}

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/** Constant-time comparison of a presented secret with the stored hash. */
export function secretMatches(secret: string, storedSha256: string): boolean {
  const a = Buffer.from(sha256(secret), 'hex');
  const b = Buffer.from(storedSha256, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
