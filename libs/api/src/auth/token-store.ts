import type { DataSource } from 'typeorm';
import {
  generateToken,
  parseToken,
  secretMatches,
  type ApiRole,
  type DealerRole,
  type Principal,
} from './token';
import { tokenInputProblem, type NewTokenInput } from './token-input';

export type { NewTokenInput } from './token-input';

/**
 * Who a token acts as (the assignee of the tasks it claims), in SQL over the api_tokens row `alias`: its name,
 * else `token:<id>`. Same rule as `subject` in resolvePrincipal. `alias` is a fixed name, never user input.
 */
export const subjectSql = (alias: string): string => `coalesce(${alias}.name, 'token:' || ${alias}.token_id)`;

/** Stores a new token (hashed) and returns the clear token, which is never shown again. */
export async function createApiToken(
  ds: DataSource,
  input: NewTokenInput,
): Promise<{ token: string; tokenId: string; expiresAt: Date | null }> {
  const problem = tokenInputProblem(input);
  if (problem) throw new Error(problem);
  const { token, tokenId, secretSha256 } = generateToken();
  // The expiry on the database's clock, the one resolvePrincipal compares it with.
  const rows = await ds.query<{ expires_at: Date | null }[]>(
    `INSERT INTO api_tokens (token_id, secret_sha256, dealer_id, role, branch_id, name, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7::int))
     RETURNING expires_at`,
    [
      tokenId,
      secretSha256,
      input.dealerId ?? null,
      input.role,
      input.branchId ?? null,
      input.name ?? null,
      input.expiresInDays ?? null,
    ],
  );
  return { token, tokenId, expiresAt: rows[0].expires_at };
}

interface TokenRow {
  token_id: string;
  secret_sha256: string;
  dealer_id: string | null;
  role: ApiRole;
  branch_id: string | null;
  name: string | null;
}

/** Resolves a presented token to whoever holds it; undefined when unknown, revoked, expired or wrong. */
export async function resolvePrincipal(ds: DataSource, token: string): Promise<Principal | undefined> {
  const parsed = parseToken(token);
  if (!parsed) return undefined;
  const rows = await ds.query<TokenRow[]>(
    `SELECT token_id, secret_sha256, dealer_id, role, branch_id, name FROM api_tokens
      WHERE token_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [parsed.tokenId],
  );
  const r = rows[0];
  if (!r || !secretMatches(parsed.secret, r.secret_sha256)) return undefined;
  const subject = r.name ?? `token:${r.token_id}`;
  if (r.role === 'operator') return { tokenId: r.token_id, role: 'operator', subject };
  // The table's check constraint guarantees a dealer for admin and manager tokens.
  if (r.dealer_id === null) return undefined;
  return {
    tokenId: r.token_id,
    dealerId: r.dealer_id,
    role: r.role satisfies DealerRole,
    branchId: r.branch_id ?? undefined,
    subject,
  };
}
