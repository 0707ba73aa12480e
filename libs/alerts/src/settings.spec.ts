import { DEFAULT_ALERT_SETTINGS, loadAlertSettings } from './settings';

describe('loadAlertSettings', () => {
  it('defaults: 5 s timeout, 8 attempts', () => {
    expect(loadAlertSettings({})).toEqual(DEFAULT_ALERT_SETTINGS);
    expect(DEFAULT_ALERT_SETTINGS).toMatchObject({ timeoutMs: 5_000, attempts: 8 });
  });
  it('reads ALERT_* variables', () => {
    expect(
      loadAlertSettings({
        ALERT_TIMEOUT_MS: '2000',
        ALERT_ATTEMPTS: '3',
        ALERT_BACKOFF_MS: '50',
        ALERT_CONCURRENCY: '4',
      }),
    ).toMatchObject({ timeoutMs: 2000, attempts: 3, backoffMs: 50, concurrency: 4 });
  });
  it('names a bad variable', () => {
    expect(() => loadAlertSettings({ ALERT_ATTEMPTS: '0' })).toThrow(
      /^invalid configuration: ALERT_ATTEMPTS: /,
    );
  });
});
