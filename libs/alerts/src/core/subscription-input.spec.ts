import { parseSubscriptionInput } from './subscription-input';

const ok = { dealer: 'd1', url: 'https://hooks.example.com/retention', secret: 'a-long-enough-secret' };
const policy = { allowHttp: false, allowPrivateTargets: false, allowedHosts: [] as string[] };

describe('parseSubscriptionInput', () => {
  it('defaults to every reason code and priority 0', () => {
    expect(parseSubscriptionInput(ok, policy)).toEqual({
      dealerId: 'd1',
      url: 'https://hooks.example.com/retention',
      secret: 'a-long-enough-secret',
      reasonCodes: null,
      minPriority: 0,
      alertTypes: ['churn.alert', 'task.escalated'],
    });
  });
  it('takes only the alert types named', () => {
    expect(
      parseSubscriptionInput({ ...ok, alerts: 'task.escalated, task.escalated' }, policy).alertTypes,
    ).toEqual(['task.escalated']);
  });
  it('parses reasons (deduplicated) and the minimum priority', () => {
    expect(
      parseSubscriptionInput(
        {
          ...ok,
          reasons: 'DETRACTOR, MAINTENANCE_OVERDUE,DETRACTOR',
          minPriority: '12.5',
        },
        policy,
      ),
    ).toMatchObject({ reasonCodes: ['DETRACTOR', 'MAINTENANCE_OVERDUE'], minPriority: 12.5 });
  });
  it.each([
    [{ ...ok, dealer: '' }, '--dealer: 1-64 characters'],
    [{ ...ok, url: 'not a url' }, '--url: not a valid URL'],
    [{ ...ok, url: 'ftp://x.example.com/' }, '--url: must be http or https'],
    [{ ...ok, url: 'http://hooks.example.com/' }, '--url: must use https'],
    [{ ...ok, url: 'https://10.0.0.7/hook' }, '--url: host 10.0.0.7 is a private address'],
    [{ ...ok, secret: 'short' }, '--secret: at least 16 characters'],
    [{ ...ok, reasons: 'DETRACTOR,NOPE' }, '--reasons: unknown reason code(s) NOPE'],
    [{ ...ok, reasons: ' , ' }, '--reasons: no reason code given'],
    [{ ...ok, minPriority: '-1' }, '--min-priority: a number ≥ 0'],
    [{ ...ok, minPriority: 'x' }, '--min-priority: a number ≥ 0'],
    [
      { ...ok, alerts: 'churn.alert,sms' },
      '--alerts: unknown alert type(s) sms (known: churn.alert, task.escalated)',
    ],
    [{ ...ok, alerts: ',' }, '--alerts: no alert type given'],
  ])('refuses %j', (raw, message) => {
    expect(() => parseSubscriptionInput(raw, policy)).toThrow(message);
  });
  it('accepts what the policy allows: a loopback http receiver in tests, a listed host', () => {
    const open = { allowHttp: true, allowPrivateTargets: true, allowedHosts: [] };
    expect(parseSubscriptionInput({ ...ok, url: 'http://127.0.0.1:4000/hook' }, open).url).toBe(
      'http://127.0.0.1:4000/hook',
    );
    const listed = { ...policy, allowedHosts: ['*.dealer.example'] };
    expect(() => parseSubscriptionInput(ok, listed)).toThrow(
      '--url: host hooks.example.com is not in ALERT_WEBHOOK_ALLOWED_HOSTS (*.dealer.example)',
    );
  });
});
