import { createApiToken } from '@rp/api';
import { startApiHarness, type ApiHarness } from './records-harness';

describe('an API token with an expiry (tokens create --expires-in)', () => {
  let api: ApiHarness;

  beforeAll(async () => {
    api = await startApiHarness();
  });
  afterAll(() => api.close());

  it('is served until its expiry and refused with 401 from then on; another token of the dealer is not affected', async () => {
    const expiring = await createApiToken(api.ds, { role: 'admin', dealerId: 'dx', expiresInDays: 1 });
    const lasting = await createApiToken(api.ds, { role: 'admin', dealerId: 'dx' });
    expect(expiring.expiresAt).toBeInstanceOf(Date);
    expect(lasting.expiresAt).toBeNull();
    expect((await api.get(expiring.token, '/api/v1/me')).status).toBe(200);

    await api.ds.query(`UPDATE api_tokens SET expires_at = now() - interval '1 ms' WHERE token_id = $1`, [
      expiring.tokenId,
    ]);
    const refused = await api.get(expiring.token, '/api/v1/me');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({
      error: { code: 'UNAUTHENTICATED', message: 'unknown, revoked, expired or malformed token' },
    });
    expect((await api.get(lasting.token, '/api/v1/me')).status).toBe(200);
  });
});
