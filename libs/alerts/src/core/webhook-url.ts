import { isIP } from 'node:net';
import type { WebhookUrlPolicy } from '@rp/config';

/** A webhook URL refused by the policy; the message names the problem and the switch that allows it. */
export class WebhookUrlError extends Error {
  readonly code = 'WEBHOOK_URL_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'WebhookUrlError';
  }
}

type Kind =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared (carrier-grade NAT)'
  | 'link-local'
  | 'multicast'
  | 'reserved';

/** Non-public IPv4 ranges: [first octets as a 32-bit number, prefix length, kind]. */
const V4_RANGES: [number, number, Kind][] = [
  [v4('0.0.0.0'), 8, 'unspecified'],
  [v4('10.0.0.0'), 8, 'private'],
  [v4('100.64.0.0'), 10, 'shared (carrier-grade NAT)'],
  [v4('127.0.0.0'), 8, 'loopback'],
  [v4('169.254.0.0'), 16, 'link-local'],
  [v4('172.16.0.0'), 12, 'private'],
  [v4('192.0.0.0'), 24, 'reserved'],
  [v4('192.0.2.0'), 24, 'reserved'],
  [v4('192.168.0.0'), 16, 'private'],
  [v4('198.18.0.0'), 15, 'reserved'],
  [v4('198.51.100.0'), 24, 'reserved'],
  [v4('203.0.113.0'), 24, 'reserved'],
  [v4('224.0.0.0'), 4, 'multicast'],
  [v4('240.0.0.0'), 4, 'reserved'],
];

function v4(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function v4Kind(n: number): Kind | undefined {
  for (const [base, bits, kind] of V4_RANGES) {
    const size = 2 ** (32 - bits);
    if (n >= base && n < base + size) return kind;
  }
  return undefined;
}

/** The 8 groups of an IPv6 address (already validated by isIP; dotted IPv4 tails expanded). */
function v6Groups(ip: string): number[] {
  let s = ip;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (tail) {
    const n = v4(tail[1]);
    s = `${s.slice(0, -tail[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, rest] = s.split('::');
  const h = head ? head.split(':') : [];
  const r = rest === undefined ? [] : rest ? rest.split(':') : [];
  const zeros = rest === undefined ? [] : new Array<string>(8 - h.length - r.length).fill('0');
  return [...h, ...zeros, ...r].map((g) => parseInt(g, 16));
}

function v6Kind(ip: string): Kind | undefined {
  const g = v6Groups(ip);
  const embeddedV4 = (hi: number, lo: number) => v4Kind(hi * 65536 + lo);
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(8)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d), 6to4 (2002:AB:CD::).
  if (zeroUpTo(5) && (g[5] === 0xffff || g[5] === 0)) return embeddedV4(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embeddedV4(g[6], g[7]);
  if (g[0] === 0x2002) return embeddedV4(g[1], g[2]);
  if ((g[0] & 0xfe00) === 0xfc00) return 'private';
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0] & 0xffc0) === 0xfec0) return 'private';
  if ((g[0] & 0xff00) === 0xff00) return 'multicast';
  if (g[0] === 0x2001 && g[1] === 0x0db8) return 'reserved';
  return undefined;
}

/** Why a host is not a public target (loopback, private, …), or undefined when it is one. */
export function nonPublicKind(hostname: string): Kind | undefined {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  const family = isIP(host);
  if (family === 4) return v4Kind(v4(host));
  if (family === 6) return v6Kind(host);
  return undefined;
}

/** True when `host` matches `pattern`: an exact host, or `*.suffix` for any subdomain of suffix. */
export function hostMatches(host: string, pattern: string): boolean {
  const h = host.replace(/\.$/, '').toLowerCase();
  const p = pattern.toLowerCase();
  return p.startsWith('*.') ? h.endsWith(p.slice(1)) : h === p;
}

/**
 * Checks a webhook URL against the policy: http(s) only, https unless allowed, the host on the allow-list
 * when one is set, and no loopback / private / link-local IP literal (SSRF) unless allowed. Returns the
 * problem, or undefined when the URL is accepted. Host names are not resolved here.
 */
export function webhookUrlProblem(raw: string, policy: WebhookUrlPolicy): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be http or https';
  if (url.protocol === 'http:' && !policy.allowHttp) {
    return 'must use https (http is accepted only with ALERT_ALLOW_HTTP=true)';
  }
  const host = url.hostname;
  if (policy.allowedHosts.length > 0 && !policy.allowedHosts.some((p) => hostMatches(host, p))) {
    return `host ${host} is not in ALERT_WEBHOOK_ALLOWED_HOSTS (${policy.allowedHosts.join(', ')})`;
  }
  const kind = nonPublicKind(host);
  if (kind && !policy.allowPrivateTargets) {
    return `host ${host} is a ${kind} address, not a public target (accepted only with ALERT_ALLOW_PRIVATE_TARGETS=true)`;
  }
  return undefined;
}

/** Throws WebhookUrlError when the policy refuses the URL. */
export function assertWebhookUrl(raw: string, policy: WebhookUrlPolicy): void {
  const problem = webhookUrlProblem(raw, policy);
  if (problem) throw new WebhookUrlError(`webhook URL refused: ${problem}`);
}
