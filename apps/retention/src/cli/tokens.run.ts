import type { AppConfig } from '@rp/config';
import { createApiToken, type NewTokenInput } from '@rp/api';
import { createDataSource } from '@rp/database';
import type { Logger } from '@rp/observability';

export { parseExpiresIn, tokenInputProblem } from '@rp/api';

export async function createToken(config: AppConfig, logger: Logger, input: NewTokenInput): Promise<void> {
  const ds = createDataSource({ ...config.database, applicationName: 'rp-tokens' });
  await ds.initialize();
  try {
    const { token, tokenId, expiresAt } = await createApiToken(ds, input);
    const expires = expiresAt === null ? null : expiresAt.toISOString();
    logger.info(
      { tokenId, dealerId: input.dealerId, role: input.role, branchId: input.branchId, expiresAt: expires },
      'API token created',
    );
    const until = expires === null ? 'valid until revoked' : `refused from ${expires} on`;
    process.stderr.write(`token ${tokenId} created (${until}); it is shown only once, store it now:\n`);
    process.stdout.write(`${token}\n`);
  } finally {
    await ds.destroy();
  }
}
