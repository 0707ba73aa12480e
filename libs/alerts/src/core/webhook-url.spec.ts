import {
  assertWebhookUrl,
  hostMatches,
  nonPublicKind,
  WebhookUrlError,
  webhookUrlProblem,
} from './webhook-url';

const closed = { allowHttp: false, allowPrivateTargets: false, allowedHosts: [] as string[] };

describe('webhookUrlProblem', () => {
  it('accepts a public https URL by default', () => {
    expect(webhookUrlProblem('https://hooks.example.com/churn?x=1', closed)).toBeUndefined();
    expect(webhookUrlProblem('https://93.184.216.34:8443/hook', closed)).toBeUndefined();
    expect(webhookUrlProblem('https://[2606:4700::1111]/hook', closed)).toBeUndefined();
  });

  it('refuses what is not an http(s) URL', () => {
    expect(webhookUrlProblem('not a url', closed)).toBe('not a valid URL');
    expect(webhookUrlProblem('ftp://x.example.com/', closed)).toBe('must be http or https');
    expect(webhookUrlProblem('file:///etc/passwd', closed)).toBe('must be http or https');
  });

  it('refuses http unless ALERT_ALLOW_HTTP', () => {
    expect(webhookUrlProblem('http://hooks.example.com/', closed)).toBe(
      'must use https (http is accepted only with ALERT_ALLOW_HTTP=true)',
    );
    expect(webhookUrlProblem('http://hooks.example.com/', { ...closed, allowHttp: true })).toBeUndefined();
  });

  it.each([
    ['https://127.0.0.1/hook', '127.0.0.1', 'loopback'],
    ['https://127.1.2.3:9000/', '127.1.2.3', 'loopback'],
    ['https://2130706433/', '127.0.0.1', 'loopback'], // decimal form, normalised by the URL parser
    ['https://0x7f.1/', '127.0.0.1', 'loopback'],
    ['https://localhost:3000/', 'localhost', 'loopback'],
    ['https://api.localhost/', 'api.localhost', 'loopback'],
    ['https://[::1]/', '[::1]', 'loopback'],
    ['https://[::ffff:127.0.0.1]/', '[::ffff:7f00:1]', 'loopback'],
    ['https://0.0.0.0/', '0.0.0.0', 'unspecified'],
    ['https://[::]/', '[::]', 'unspecified'],
    ['https://10.1.2.3/', '10.1.2.3', 'private'],
    ['https://172.16.0.1/', '172.16.0.1', 'private'],
    ['https://172.31.255.255/', '172.31.255.255', 'private'],
    ['https://192.168.1.10/', '192.168.1.10', 'private'],
    ['https://[fd12:3456::1]/', '[fd12:3456::1]', 'private'],
    ['https://169.254.169.254/latest/meta-data', '169.254.169.254', 'link-local'],
    ['https://[fe80::1]/', '[fe80::1]', 'link-local'],
    ['https://100.64.0.1/', '100.64.0.1', 'shared (carrier-grade NAT)'],
    ['https://224.0.0.1/', '224.0.0.1', 'multicast'],
    ['https://[64:ff9b::a00:1]/', '[64:ff9b::a00:1]', 'private'],
    ['https://[2002:c0a8:101::1]/', '[2002:c0a8:101::1]', 'private'],
  ])('refuses %s (%s is %s) unless ALERT_ALLOW_PRIVATE_TARGETS', (url, host, kind) => {
    expect(webhookUrlProblem(url, closed)).toBe(
      `host ${host} is a ${kind} address, not a public target (accepted only with ALERT_ALLOW_PRIVATE_TARGETS=true)`,
    );
    expect(webhookUrlProblem(url, { ...closed, allowPrivateTargets: true })).toBeUndefined();
  });

  it('keeps the neighbours of private ranges public', () => {
    for (const ip of [
      '172.32.0.1',
      '172.15.255.255',
      '11.0.0.1',
      '100.128.0.1',
      '169.255.0.1',
      '192.169.0.1',
    ]) {
      expect(nonPublicKind(ip)).toBeUndefined();
    }
    expect(nonPublicKind('[::ffff:8.8.8.8]')).toBeUndefined();
    expect(nonPublicKind('localhost.example.com')).toBeUndefined();
  });

  it('checks the allow-list of host patterns when one is set', () => {
    const policy = { ...closed, allowedHosts: ['*.dealer.example', 'hooks.example.com'] };
    expect(webhookUrlProblem('https://crm.dealer.example/h', policy)).toBeUndefined();
    expect(webhookUrlProblem('https://a.b.dealer.example/h', policy)).toBeUndefined();
    expect(webhookUrlProblem('https://HOOKS.example.com/h', policy)).toBeUndefined();
    const refused = (host: string) =>
      `host ${host} is not in ALERT_WEBHOOK_ALLOWED_HOSTS (*.dealer.example, hooks.example.com)`;
    expect(webhookUrlProblem('https://dealer.example/h', policy)).toBe(refused('dealer.example'));
    expect(webhookUrlProblem('https://evil-dealer.example/h', policy)).toBe(refused('evil-dealer.example'));
    expect(webhookUrlProblem('https://hooks.example.com.evil.io/', policy)).toBe(
      refused('hooks.example.com.evil.io'),
    );
  });

  it('applies the allow-list and the private-target check together', () => {
    const policy = { ...closed, allowedHosts: ['10.0.0.5'] };
    expect(webhookUrlProblem('https://10.0.0.5/', policy)).toContain('private address');
    expect(webhookUrlProblem('https://10.0.0.5/', { ...policy, allowPrivateTargets: true })).toBeUndefined();
  });
});

describe('hostMatches', () => {
  it('matches exact hosts and subdomain wildcards, ignoring case and a trailing dot', () => {
    expect(hostMatches('Hooks.Example.com.', 'hooks.example.com')).toBe(true);
    expect(hostMatches('x.hooks.example.com', 'hooks.example.com')).toBe(false);
    expect(hostMatches('x.dealer.example', '*.dealer.example')).toBe(true);
    expect(hostMatches('dealer.example', '*.dealer.example')).toBe(false);
  });
});

describe('assertWebhookUrl', () => {
  it('throws a WebhookUrlError with a stable code naming the problem', () => {
    let err: unknown;
    try {
      assertWebhookUrl('http://127.0.0.1:9/', { ...closed, allowHttp: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WebhookUrlError);
    expect((err as WebhookUrlError).code).toBe('WEBHOOK_URL_REFUSED');
    expect((err as Error).message).toBe(
      'webhook URL refused: host 127.0.0.1 is a loopback address, not a public target (accepted only with ALERT_ALLOW_PRIVATE_TARGETS=true)',
    );
    expect(() => assertWebhookUrl('https://hooks.example.com/', closed)).not.toThrow();
  });
});
