import { DEFAULT_FOLLOWUP_SETTINGS, loadFollowupSettings } from './settings';

describe('loadFollowupSettings', () => {
  it('defaults to a 30-day cool-down and no holdout', () => {
    expect(loadFollowupSettings({})).toEqual(DEFAULT_FOLLOWUP_SETTINGS);
    expect(DEFAULT_FOLLOWUP_SETTINGS.rules.cooldownDays).toBe(30);
    expect(DEFAULT_FOLLOWUP_SETTINGS.rules.holdoutShare).toBe(0);
  });

  it('reads overrides and names a bad variable', () => {
    const s = loadFollowupSettings({ FOLLOWUP_COOLDOWN_DAYS: '45', FOLLOWUP_HOLDOUT_SHARE: '0.1' });
    expect(s.rules).toMatchObject({ cooldownDays: 45, holdoutShare: 0.1 });
    expect(() => loadFollowupSettings({ FOLLOWUP_HOLDOUT_SHARE: '2' })).toThrow(/FOLLOWUP_HOLDOUT_SHARE/);
  });
});
