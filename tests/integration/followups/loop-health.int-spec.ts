import { DEFAULT_ALERT_SETTINGS, startAlerts, type AlertsRuntime } from '@rp/alerts';
import { createLogger } from '@rp/observability';
import { waitFor } from '../../support';
import { followupsHarness, valuedDecision, type FollowupsHarness } from './harness';

/**
 * The `followups-relay` and `alerts-poll` probes (real Postgres and Redis): down, naming the loop and its
 * error, when its passes keep failing, or when the oldest outbox row waiting for it is too old (also while a
 * row only sits locked by someone else, which must not clear the relay's error).
 */
describe('background loop health of the followups role', () => {
  let h: FollowupsHarness;
  let alerts: AlertsRuntime;
  beforeAll(async () => {
    h = await followupsHarness();
    alerts = await startAlerts({
      ds: h.ds,
      redisUrl: h.config.redis.url,
      queuePrefix: h.config.redis.queuePrefix,
      settings: { ...DEFAULT_ALERT_SETTINGS, pollIdleMs: 50 },
      logger: createLogger('silent'),
    });
  });
  afterAll(async () => {
    await alerts.queue.obliterate({ force: true }).catch(() => undefined);
    await alerts.stop();
    await h.close();
  });

  const insertOld = async (customerId: string, ageSec: number) => {
    const d = valuedDecision({ customerId });
    await h.ds.query(
      `INSERT INTO outbox (dealer_id, kind, dedup_key, payload, created_at)
       VALUES ($1, 'decision', $2, $3, now() - make_interval(secs => $4))`,
      [d.dealerId, d.id, JSON.stringify(d), ageSec],
    );
  };

  it('is up when nothing waits, with the loop state', async () => {
    await waitFor('a relay pass', async () => (await h.runtime.relayHealth()).lastSuccessAt !== undefined);
    await expect(h.runtime.relayHealth()).resolves.toMatchObject({ consecutiveFailures: 0 });
    await expect(alerts.pollHealth()).resolves.toMatchObject({ consecutiveFailures: 0 });
  });

  it('reports a decision waiting longer than 120 s, while its row is locked by another transaction', async () => {
    await insertOld('c-old', 600);
    const holder = h.ds.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query(`SELECT id FROM outbox WHERE kind = 'decision' FOR UPDATE`);
      await expect(h.runtime.relayHealth()).rejects.toThrow(
        /^followups relay: oldest pending outbox row waiting for 6\d{5} ms$/,
      );
      await expect(alerts.pollHealth()).rejects.toThrow(
        /^alerts poll: oldest pending outbox row waiting for 6\d{5} ms$/,
      );
    } finally {
      await holder.commitTransaction();
      await holder.release();
    }
    // Released: both loops take it, and are up again.
    await waitFor(
      'relay up',
      () =>
        h.runtime.relayHealth().then(
          () => true,
          () => false,
        ),
      10_000,
      50,
    );
    await waitFor(
      'alerts up',
      () =>
        alerts.pollHealth().then(
          () => true,
          () => false,
        ),
      10_000,
      50,
    );
  });

  it('reports a relay whose passes keep failing, naming it and the error', async () => {
    await h.ds.query(`
      CREATE FUNCTION refuse_dispatch() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'dispatch refused by test trigger'; END $$`);
    await h.ds.query(`
      CREATE TRIGGER refuse_dispatch BEFORE UPDATE OF dispatched_at ON outbox
      FOR EACH ROW EXECUTE FUNCTION refuse_dispatch()`);
    try {
      await insertOld('c-fail', 0);
      h.runtime.wakeRelay();
      const err = await waitFor(
        'the relay reported down',
        () =>
          h.runtime.relayHealth().then(
            () => undefined,
            (e: Error) => e.message,
          ),
        20_000,
        100,
      );
      expect(err).toMatch(
        /^followups relay failed [5-9] passes in a row for \d+ ms: dispatch refused by test trigger$/,
      );
    } finally {
      await h.ds.query('DROP TRIGGER refuse_dispatch ON outbox');
      await h.ds.query('DROP FUNCTION refuse_dispatch()');
    }
    h.runtime.wakeRelay();
    await waitFor(
      'relay up',
      () =>
        h.runtime.relayHealth().then(
          () => true,
          () => false,
        ),
      10_000,
      50,
    );
  });
});
