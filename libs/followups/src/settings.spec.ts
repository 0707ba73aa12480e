import { loadConfig } from '@rp/config';
import { DEFAULT_FOLLOWUP_SETTINGS, followupSettings } from './settings';

describe('followupSettings', () => {
  it('defaults to a 30-day cool-down and no holdout', () => {
    expect(followupSettings({})).toEqual(DEFAULT_FOLLOWUP_SETTINGS);
    expect(DEFAULT_FOLLOWUP_SETTINGS.rules.cooldownDays).toBe(30);
    expect(DEFAULT_FOLLOWUP_SETTINGS.rules.holdoutShare).toBe(0);
  });

  it('applies the overrides and keeps every other default', () => {
    const s = followupSettings({ cooldownDays: 45, holdoutShare: 0.1, workerConcurrency: 3, attempts: 20 });
    expect(s).toEqual({
      ...DEFAULT_FOLLOWUP_SETTINGS,
      rules: { ...DEFAULT_FOLLOWUP_SETTINGS.rules, cooldownDays: 45, holdoutShare: 0.1 },
      workerConcurrency: 3,
      attempts: 20,
    });
  });

  it('reads FOLLOWUP_* through the one validated config (0 is a value, not unset)', () => {
    const c = loadConfig({ FOLLOWUP_COOLDOWN_DAYS: '0', FOLLOWUP_REDISPATCH_AFTER_MS: '5000' });
    const s = followupSettings(c.followups);
    expect(s.rules.cooldownDays).toBe(0);
    expect(s.redispatchAfterMs).toBe(5000);
    expect(s.rules.holdoutShare).toBe(0);
    expect(s.workerConcurrency).toBe(DEFAULT_FOLLOWUP_SETTINGS.workerConcurrency);
  });
});
