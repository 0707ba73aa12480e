import { parseSubscriptionInput } from './subscription-input';

const ok = { dealer: 'd1', url: 'https://hooks.example.com/retention', secret: 'a-long-enough-secret' };

describe('parseSubscriptionInput', () => {
  it('defaults to every reason code and priority 0', () => {
    expect(parseSubscriptionInput(ok)).toEqual({
      dealerId: 'd1',
      url: 'https://hooks.example.com/retention',
      secret: 'a-long-enough-secret',
      reasonCodes: null,
      minPriority: 0,
    });
  });
  it('parses reasons (deduplicated) and the minimum priority', () => {
    expect(
      parseSubscriptionInput({
        ...ok,
        reasons: 'DETRACTOR, MAINTENANCE_OVERDUE,DETRACTOR',
        minPriority: '12.5',
      }),
    ).toMatchObject({ reasonCodes: ['DETRACTOR', 'MAINTENANCE_OVERDUE'], minPriority: 12.5 });
  });
  it.each([
    [{ ...ok, dealer: '' }, '--dealer: 1-64 characters'],
    [{ ...ok, url: 'not a url' }, '--url: not a valid URL'],
    [{ ...ok, url: 'ftp://x.example.com/' }, '--url: must be http or https'],
    [{ ...ok, secret: 'short' }, '--secret: at least 16 characters'],
    [{ ...ok, reasons: 'DETRACTOR,NOPE' }, '--reasons: unknown reason code(s) NOPE'],
    [{ ...ok, reasons: ' , ' }, '--reasons: no reason code given'],
    [{ ...ok, minPriority: '-1' }, '--min-priority: a number ≥ 0'],
    [{ ...ok, minPriority: 'x' }, '--min-priority: a number ≥ 0'],
  ])('refuses %j', (raw, message) => {
    expect(() => parseSubscriptionInput(raw)).toThrow(message);
  });
});
