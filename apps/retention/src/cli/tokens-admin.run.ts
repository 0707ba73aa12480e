import type { DataSource, EntityManager } from 'typeorm';
import { subjectSql } from '@rp/api';
import type { AppConfig } from '@rp/config';
import { createDataSource } from '@rp/database';
import type { Logger } from '@rp/observability';

/** What `tokens list` shows of a token: never its secret, nor the secret's hash. */
export interface TokenListing {
  tokenId: string;
  role: string;
  dealerId: string | null;
  branchId: string | null;
  name: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

const TOKEN_ID_RE = /^[0-9a-f]{16}$/;

/** Checks a token id given on the command line; returns a message naming the problem, or undefined. */
export function tokenIdProblem(id: string): string | undefined {
  // The argument is not echoed: it may be a whole token pasted by mistake.
  return TOKEN_ID_RE.test(id)
    ? undefined
    : 'that is not a token id: give the 16 hex characters after rpt_ (see tokens list), not the token itself';
}

export async function listApiTokens(ds: DataSource): Promise<TokenListing[]> {
  const rows = await ds.query<
    {
      token_id: string;
      role: string;
      dealer_id: string | null;
      branch_id: string | null;
      name: string | null;
      created_at: Date;
      expires_at: Date | null;
      revoked_at: Date | null;
    }[]
  >(
    `SELECT token_id, role, dealer_id, branch_id, name, created_at, expires_at, revoked_at FROM api_tokens
      ORDER BY created_at, token_id`,
  );
  return rows.map((r) => ({
    tokenId: r.token_id,
    role: r.role,
    dealerId: r.dealer_id,
    branchId: r.branch_id,
    name: r.name,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
  }));
}

export type RevokeResult =
  | { kind: 'revoked'; revokedAt: Date; releasedClaims: number }
  | { kind: 'already-revoked'; revokedAt: Date; releasedClaims: number }
  | { kind: 'unknown' };

/**
 * Sets revoked_at once (the bearer guard refuses the token from its next request on) and releases the claims
 * of the token's identity (its name, else `token:<id>`), back to open and unassigned, unless another active
 * token of the dealer acts as the same identity (then they are still that person's). Revoking an already
 * revoked token releases claims left behind too.
 */
export async function revokeApiToken(ds: DataSource, tokenId: string): Promise<RevokeResult> {
  return ds.transaction(async (em) => {
    const updated = await em.query<[{ revoked_at: Date }[], number]>(
      `UPDATE api_tokens SET revoked_at = now() WHERE token_id = $1 AND revoked_at IS NULL RETURNING revoked_at`,
      [tokenId],
    );
    const row = updated[0][0];
    if (row)
      return { kind: 'revoked', revokedAt: row.revoked_at, releasedClaims: await releaseClaims(em, tokenId) };
    const existing = await em.query<{ revoked_at: Date | null }[]>(
      `SELECT revoked_at FROM api_tokens WHERE token_id = $1`,
      [tokenId],
    );
    const before = existing[0]?.revoked_at;
    return before
      ? { kind: 'already-revoked', revokedAt: before, releasedClaims: await releaseClaims(em, tokenId) }
      : { kind: 'unknown' };
  });
}

/** Reopens the claimed tasks of a revoked token's identity when no active token of its dealer shares it. */
async function releaseClaims(em: EntityManager, tokenId: string): Promise<number> {
  const released = await em.query<[{ task_id: string }[], number]>(
    `WITH gone AS (
       SELECT a.dealer_id, ${subjectSql('a')} AS subject FROM api_tokens a
        WHERE a.token_id = $1 AND a.revoked_at IS NOT NULL AND a.dealer_id IS NOT NULL)
     UPDATE tasks t SET status = 'open', assignee = NULL, updated_at = now()
       FROM gone
      WHERE t.dealer_id = gone.dealer_id AND t.status = 'claimed' AND t.assignee = gone.subject
        AND NOT EXISTS (
          SELECT 1 FROM api_tokens o
           WHERE o.dealer_id = gone.dealer_id AND o.revoked_at IS NULL AND ${subjectSql('o')} = gone.subject)
     RETURNING t.task_id`,
    [tokenId],
  );
  return released[1];
}

/** One line per token, tab-separated under a header; `-` for an empty field. */
export function formatTokenList(tokens: TokenListing[]): string {
  const cell = (v: string | null) => v ?? '-';
  const lines = tokens.map((t) =>
    [
      t.tokenId,
      t.role,
      cell(t.dealerId),
      cell(t.branchId),
      cell(t.name),
      t.createdAt.toISOString(),
      t.expiresAt ? t.expiresAt.toISOString() : '-',
      t.revokedAt ? t.revokedAt.toISOString() : '-',
    ].join('\t'),
  );
  return ['id\trole\tdealer\tbranch\tname\tcreated\texpires\trevoked', ...lines].join('\n') + '\n';
}

async function withDb<T>(config: AppConfig, run: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = createDataSource({ ...config.database, poolSize: 1, applicationName: 'rp-tokens' });
  await ds.initialize();
  try {
    return await run(ds);
  } finally {
    await ds.destroy();
  }
}

export async function listTokens(config: AppConfig): Promise<void> {
  const tokens = await withDb(config, listApiTokens);
  process.stdout.write(formatTokenList(tokens));
}

export async function revokeToken(config: AppConfig, logger: Logger, tokenId: string): Promise<void> {
  const result = await withDb(config, (ds) => revokeApiToken(ds, tokenId));
  const released = (n: number) => `; released ${n} claimed task${n === 1 ? '' : 's'} back to the open queue`;
  switch (result.kind) {
    case 'revoked':
      logger.info({ tokenId, releasedClaims: result.releasedClaims }, 'API token revoked');
      process.stdout.write(
        `token ${tokenId} revoked; it is refused from now on${released(result.releasedClaims)}\n`,
      );
      return;
    case 'already-revoked':
      if (result.releasedClaims > 0) {
        logger.info(
          { tokenId, releasedClaims: result.releasedClaims },
          'claims of a revoked API token released',
        );
      }
      process.stdout.write(
        `token ${tokenId} was already revoked at ${result.revokedAt.toISOString()}` +
          `${result.releasedClaims > 0 ? released(result.releasedClaims) : '; nothing changed'}\n`,
      );
      return;
    case 'unknown':
      process.stderr.write(`error: no token with id ${tokenId} (see tokens list)\n`);
      process.exitCode = 1;
  }
}
