import { loadConfig } from '@rp/config';
import { alertSettings, DEFAULT_ALERT_SETTINGS } from './settings';

const policy = { allowHttp: false, allowPrivateTargets: false, allowedHosts: [] };

describe('alertSettings', () => {
  it('defaults: 5 s timeout, 8 attempts, 16 in flight', () => {
    expect(alertSettings({ webhookUrls: policy })).toEqual(DEFAULT_ALERT_SETTINGS);
    expect(DEFAULT_ALERT_SETTINGS).toMatchObject({ timeoutMs: 5_000, attempts: 8, concurrency: 16 });
  });

  it('applies the overrides and keeps every other default', () => {
    expect(
      alertSettings({ timeoutMs: 2000, attempts: 3, backoffMs: 50, concurrency: 4, webhookUrls: policy }),
    ).toEqual({ ...DEFAULT_ALERT_SETTINGS, timeoutMs: 2000, attempts: 3, backoffMs: 50, concurrency: 4 });
  });

  it('carries the private-target permission to delivery', () => {
    expect(alertSettings({ webhookUrls: { ...policy, allowPrivateTargets: true } }).allowPrivateTargets).toBe(
      true,
    );
    expect(DEFAULT_ALERT_SETTINGS.allowPrivateTargets).toBe(false);
  });

  it('takes the holdout share of the follow-ups (no holdout by default)', () => {
    expect(DEFAULT_ALERT_SETTINGS.holdoutShare).toBe(0);
    expect(alertSettings({ webhookUrls: policy }, { holdoutShare: 0.25 }).holdoutShare).toBe(0.25);
    const c = loadConfig({ FOLLOWUP_HOLDOUT_SHARE: '0.1' });
    expect(alertSettings(c.alerts, c.followups).holdoutShare).toBe(0.1);
  });

  it('reads ALERT_* through the one validated config', () => {
    const c = loadConfig({ ALERT_TIMEOUT_MS: '1500', ALERT_REDISPATCH_AFTER_MS: '60000' });
    expect(alertSettings(c.alerts)).toEqual({
      ...DEFAULT_ALERT_SETTINGS,
      timeoutMs: 1500,
      redispatchAfterMs: 60_000,
    });
  });
});
