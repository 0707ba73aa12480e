import type { DataSource } from 'typeorm';
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
      revoked_at: Date | null;
    }[]
  >(
    `SELECT token_id, role, dealer_id, branch_id, name, created_at, revoked_at FROM api_tokens
      ORDER BY created_at, token_id`,
  );
  return rows.map((r) => ({
    tokenId: r.token_id,
    role: r.role,
    dealerId: r.dealer_id,
    branchId: r.branch_id,
    name: r.name,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  }));
}

export type RevokeResult =
  { kind: 'revoked'; revokedAt: Date } | { kind: 'already-revoked'; revokedAt: Date } | { kind: 'unknown' };

/** Sets revoked_at once; the bearer guard refuses the token from its next request on. */
export async function revokeApiToken(ds: DataSource, tokenId: string): Promise<RevokeResult> {
  const updated = await ds.query<[{ revoked_at: Date }[], number]>(
    `UPDATE api_tokens SET revoked_at = now() WHERE token_id = $1 AND revoked_at IS NULL RETURNING revoked_at`,
    [tokenId],
  );
  const row = updated[0][0];
  if (row) return { kind: 'revoked', revokedAt: row.revoked_at };
  const existing = await ds.query<{ revoked_at: Date | null }[]>(
    `SELECT revoked_at FROM api_tokens WHERE token_id = $1`,
    [tokenId],
  );
  const before = existing[0]?.revoked_at;
  return before ? { kind: 'already-revoked', revokedAt: before } : { kind: 'unknown' };
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
      t.revokedAt ? t.revokedAt.toISOString() : '-',
    ].join('\t'),
  );
  return ['id\trole\tdealer\tbranch\tname\tcreated\trevoked', ...lines].join('\n') + '\n';
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
  switch (result.kind) {
    case 'revoked':
      logger.info({ tokenId }, 'API token revoked');
      process.stdout.write(`token ${tokenId} revoked; it is refused from now on\n`);
      return;
    case 'already-revoked':
      process.stdout.write(
        `token ${tokenId} was already revoked at ${result.revokedAt.toISOString()}; nothing changed\n`,
      );
      return;
    case 'unknown':
      process.stderr.write(`error: no token with id ${tokenId} (see tokens list)\n`);
      process.exitCode = 1;
  }
}
