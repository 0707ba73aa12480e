import { Writable } from 'node:stream';
import { deliveryIdFor, disableSubscription } from '@rp/alerts';
import { createDataSource, MIGRATIONS, revertMigrations, runMigrations } from '@rp/database';
import { createLogger } from '@rp/observability';
import {
  addWebhook,
  disableWebhook,
  listWebhooks,
  rotateWebhook,
  SECRET_ON_COMMAND_LINE,
  type WebhookIo,
} from '../../../apps/retention/src/cli/webhooks.run';
import { testConfig, useMigratedSchema, waitFor } from '../../support';
import { valuedDecision } from '../followups/harness';
import { alertsHarness, startReceiver } from './harness';

/** A captured run of a webhooks command: what it wrote, and its exit code. */
function captured(stdin = ''): WebhookIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  const sink = (add: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        add(chunk.toString());
        done();
      },
    });
  return {
    out: sink((s) => (out += s)),
    err: sink((s) => (err += s)),
    stdin: () => Promise.resolve(stdin),
    stdout: () => out,
    stderr: () => err,
  };
}

describe('webhooks add, list, disable, rotate (run functions + Postgres)', () => {
  const config = testConfig();
  const logger = createLogger('silent');
  const ds = createDataSource({ ...config.database, poolSize: 2 });
  useMigratedSchema(ds, config.database.schema);
  afterEach(() => {
    process.exitCode = undefined;
  });

  const row = async (id: string) =>
    (
      await ds.query<{ dealer_id: string; url: string; secret: string; active: boolean }[]>(
        'SELECT dealer_id, url, secret, active FROM alert_subscriptions WHERE subscription_id = $1',
        [id],
      )
    )[0];

  it('generates a secret when none is given, prints it once after the id, and stores it', async () => {
    const io = captured();
    await addWebhook(config, logger, { dealer: 'd-gen', url: 'https://hooks.example.com/gen' }, io);
    expect(process.exitCode).toBeUndefined();
    const [id, secret, ...rest] = io.stdout().split('\n');
    expect(id).toMatch(/^sub_[0-9a-f]{16}$/);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(rest).toEqual(['']);
    expect(io.stderr()).toBe(`the signing secret of ${id} is shown only once, store it now:\n`);
    expect(await row(id)).toEqual({
      dealer_id: 'd-gen',
      url: 'https://hooks.example.com/gen',
      secret,
      active: true,
    });
  });

  it('reads the secret from standard input with --secret-stdin and never prints it', async () => {
    const secret = 'stdin-secret-MARKER-0123456789';
    const io = captured(`${secret}\n`);
    await addWebhook(
      config,
      logger,
      { dealer: 'd-in', url: 'https://hooks.example.com/in', secretStdin: true },
      io,
    );
    const id = io.stdout().trim();
    expect(id).toMatch(/^sub_[0-9a-f]{16}$/);
    expect(io.stderr()).toBe('');
    expect((await row(id)).secret).toBe(secret);

    const short = captured('too-short\n');
    await addWebhook(
      config,
      logger,
      { dealer: 'd-in', url: 'https://hooks.example.com/short', secretStdin: true },
      short,
    );
    expect(process.exitCode).toBe(1);
    expect(short.stderr()).toBe(
      'error: --secret-stdin: the secret read from standard input has fewer than 16 characters\n',
    );
    expect(short.stdout()).toBe('');
  });

  it('still takes --secret, warning that it is visible to other users', async () => {
    const io = captured();
    await addWebhook(
      config,
      logger,
      { dealer: 'd-arg', url: 'https://hooks.example.com/arg', secret: 'arg-secret-0123456789' },
      io,
    );
    expect(io.stderr()).toBe(SECRET_ON_COMMAND_LINE);
    expect(SECRET_ON_COMMAND_LINE).toContain('--secret-stdin');
    expect((await row(io.stdout().trim())).secret).toBe('arg-secret-0123456789');
  });

  it('refuses a second active subscription of a dealer to the same URL, naming the first', async () => {
    const first = captured();
    await addWebhook(config, logger, { dealer: 'd-dup', url: 'https://hooks.example.com/dup' }, first);
    const id = first.stdout().split('\n')[0];
    const again = captured();
    await addWebhook(config, logger, { dealer: 'd-dup', url: 'https://hooks.example.com/dup' }, again);
    expect(process.exitCode).toBe(1);
    expect(again.stderr()).toBe(
      `error: --url: dealer d-dup already has active subscription ${id} for this URL ` +
        `(webhooks rotate ${id} --dealer d-dup gives it a new secret; webhooks disable turns it off)\n`,
    );
    expect(again.stdout()).toBe('');
    // Another dealer may use the same URL; the index closes the race between two adds.
    process.exitCode = undefined;
    const other = captured();
    await addWebhook(config, logger, { dealer: 'd-dup2', url: 'https://hooks.example.com/dup' }, other);
    expect(process.exitCode).toBeUndefined();
    await expect(
      ds.query(
        `INSERT INTO alert_subscriptions (dealer_id, subscription_id, url, secret) VALUES ('d-dup', 'sub_race', $1, 's')`,
        ['https://hooks.example.com/dup'],
      ),
    ).rejects.toThrow(/alert_subscriptions_active_url_key/);
    // Once the first is disabled, the URL can be subscribed again.
    await disableWebhook(config, logger, 'd-dup', id, captured());
    const readd = captured();
    await addWebhook(config, logger, { dealer: 'd-dup', url: 'https://hooks.example.com/dup' }, readd);
    expect(process.exitCode).toBeUndefined();
    expect(readd.stdout().split('\n')[0]).not.toBe(id);
  });

  it('lists id, dealer, host, filters, active and created: never the secret nor the URL path', async () => {
    const add = captured();
    await addWebhook(
      config,
      logger,
      {
        dealer: 'd-list',
        url: 'https://user:PW-MARKER@crm.dealer.example/hooks/PATH-MARKER?k=QUERY-MARKER',
        reasons: 'DETRACTOR',
        minPriority: '25',
        alerts: 'churn.alert',
      },
      add,
    );
    const [id, secret] = add.stdout().split('\n');
    const io = captured();
    await listWebhooks(config, 'd-list', io);
    const [{ created_at }] = await ds.query<{ created_at: Date }[]>(
      'SELECT created_at FROM alert_subscriptions WHERE subscription_id = $1',
      [id],
    );
    expect(io.stdout()).toBe(
      'id\tdealer\thost\treasons\tmin_priority\talerts\tactive\tcreated\n' +
        `${id}\td-list\tcrm.dealer.example\tDETRACTOR\t25\tchurn.alert\tyes\t${created_at.toISOString()}\n`,
    );
    for (const hidden of [secret, 'PW-MARKER', 'PATH-MARKER', 'QUERY-MARKER'])
      expect(io.stdout()).not.toContain(hidden);
    const all = captured();
    await listWebhooks(config, undefined, all);
    expect(all.stdout()).toContain(`${id}\td-list\t`);
    expect(all.stdout()).toContain('\td-gen\thooks.example.com\tall\t0\tchurn.alert,task.escalated\tyes\t');
  });

  it("disables a subscription of the named dealer only; another dealer's id is refused", async () => {
    const add = captured();
    await addWebhook(config, logger, { dealer: 'd-off', url: 'https://hooks.example.com/off' }, add);
    const id = add.stdout().split('\n')[0];
    const foreign = captured();
    await disableWebhook(config, logger, 'd-other', id, foreign);
    expect(process.exitCode).toBe(1);
    expect(foreign.stderr()).toBe(
      `error: no subscription ${id} for dealer d-other (see webhooks list --dealer d-other)\n`,
    );
    expect((await row(id)).active).toBe(true);
    process.exitCode = undefined;
    const off = captured();
    await disableWebhook(config, logger, 'd-off', id, off);
    expect(off.stdout()).toBe(
      `subscription ${id} of dealer d-off disabled: no new alerts; its pending deliveries end cancelled\n`,
    );
    expect((await row(id)).active).toBe(false);
    const again = captured();
    await disableWebhook(config, logger, 'd-off', id, again);
    expect(again.stdout()).toBe(`subscription ${id} of dealer d-off was already disabled; nothing changed\n`);
    expect(process.exitCode).toBeUndefined();
  });

  it('rotates the secret: a new one stored and printed once; refused for another dealer', async () => {
    const add = captured();
    await addWebhook(config, logger, { dealer: 'd-rot', url: 'https://hooks.example.com/rot' }, add);
    const [id, oldSecret] = add.stdout().split('\n');
    const foreign = captured();
    await rotateWebhook(config, logger, 'd-other', id, foreign);
    expect(process.exitCode).toBe(1);
    expect(foreign.stdout()).toBe('');
    expect((await row(id)).secret).toBe(oldSecret);
    process.exitCode = undefined;
    const io = captured();
    await rotateWebhook(config, logger, 'd-rot', id, io);
    const secret = io.stdout().trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(secret).not.toBe(oldSecret);
    expect((await row(id)).secret).toBe(secret);
    expect(io.stderr()).toContain('shown only once');
    expect(io.stderr()).not.toContain(secret);
  });

  it('the migration keeps the oldest of duplicates made before it active and deactivates the others', async () => {
    // Back to before this migration (later ones are reverted and re-run with it).
    const at = MIGRATIONS.findIndex((m) => m.name === 'WebhookSubscriptionUrl1795301400000');
    expect(at).toBeGreaterThan(0);
    await revertMigrations(ds, MIGRATIONS.length - at);
    const ins = (id: string, at: string, active = true) =>
      ds.query(
        `INSERT INTO alert_subscriptions (dealer_id, subscription_id, url, secret, active, created_at)
         VALUES ('d-mig', $1, 'https://hooks.example.com/mig', 's', $2, $3)`,
        [id, active, at],
      );
    await ins('sub_mig_old', '2026-01-01T00:00:00Z', false);
    await ins('sub_mig_b', '2026-01-03T00:00:00Z');
    await ins('sub_mig_a', '2026-01-02T00:00:00Z');
    await ins('sub_mig_c', '2026-01-04T00:00:00Z');
    expect(await runMigrations(ds)).toEqual(MIGRATIONS.slice(at).map((m) => m.name));
    const rows = await ds.query<{ subscription_id: string; active: boolean }[]>(
      `SELECT subscription_id, active FROM alert_subscriptions WHERE dealer_id = 'd-mig' ORDER BY created_at`,
    );
    expect(rows).toEqual([
      { subscription_id: 'sub_mig_old', active: false },
      { subscription_id: 'sub_mig_a', active: true },
      { subscription_id: 'sub_mig_b', active: false },
      { subscription_id: 'sub_mig_c', active: false },
    ]);
  });
});

describe('disabling a subscription with a delivery waiting for its retry', () => {
  it('cancels the delivery when its retry runs: no further request', async () => {
    const h = await alertsHarness({ attempts: 5, backoffMs: 1_500 });
    const receiver = await startReceiver(() => 500);
    try {
      const dealer = 'dealer-off';
      const sub = await h.subscribe(dealer, receiver.url, 'whsec-off-0123456789');
      const d = { ...valuedDecision({ customerId: 'c-off' }), dealerId: dealer };
      await h.f.publish([d]);
      const deliveryId = deliveryIdFor(dealer, d.id, sub);
      await waitFor('first attempt', async () => (await h.log(deliveryId)).length === 1);
      expect(await disableSubscription(h.f.ds, dealer, sub)).toBe(true);
      await waitFor('cancelled', async () => {
        const [r] = await h.f.ds.query<{ status: string }[]>(
          'SELECT status FROM alert_dispatch WHERE delivery_id = $1',
          [deliveryId],
        );
        return r?.status === 'cancelled';
      });
      expect(receiver.requests).toHaveLength(1);
      expect((await h.log(deliveryId)).map((l) => l.status_code)).toEqual([500]);
    } finally {
      await h.close();
      await receiver.close();
    }
  });
});
