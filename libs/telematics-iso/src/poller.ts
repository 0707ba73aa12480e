import { parseFleetDocument } from './parse';
import type { FleetDocument } from './types';

/** Credentials for the OEM endpoint. They only ever go into the Authorization header. */
export type IsoAuth =
  { kind: 'bearer'; token: string } | { kind: 'basic'; username: string; password: string };

/** The part of `fetch` the poller uses, so tests can pass a fake. The global `fetch` fits. */
export type FetchLike = (
  url: string,
  init: { headers: Record<string, string>; signal?: AbortSignal },
) => Promise<ResponseLike>;

export interface ResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

/** Waits `ms`, resolving early when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface PollerOptions {
  /** First page of the fleet, e.g. `https://oem.example/Fleet/1`. */
  url: string;
  auth?: IsoAuth;
  fetch?: FetchLike;
  sleep?: Sleep;
  /** Clock in epoch ms; used to read a Retry-After given as an HTTP date. */
  now?: () => number;
  /** Stop after this many pages even if the feed announces more (default 500). */
  maxPages?: number;
  /** Requests per page before giving up on 429, 5xx or network errors (default 6). */
  maxAttempts?: number;
  /** Exponential back-off when the server gives no Retry-After: initialMs · 2^(attempt−1), at most maxMs. */
  backoff?: { initialMs: number; maxMs: number };
  /** A Retry-After longer than this makes the poller give up instead of waiting (default 15 min). */
  maxRetryAfterMs?: number;
  /** Per-request timeout with the real fetch (default 30 s). */
  requestTimeoutMs?: number;
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  url: string;
  attempt: number;
  /** HTTP status, or undefined for a network error. */
  status?: number;
  delayMs: number;
  reason: string;
}

export interface FleetPage {
  /** 1-based position in this poll. */
  number: number;
  url: string;
  document: FleetDocument;
}

export type PollStop = 'no-next-link' | 'next-is-current' | 'next-already-read' | 'max-pages';

export interface PollResult {
  pages: number;
  stoppedBy: PollStop;
}

/** The endpoint could not be read: a permanent HTTP error, retries exhausted, an unreadable page. */
export class IsoFetchError extends Error {
  readonly code = 'ISO_FETCH_ERROR';
  override readonly name = 'IsoFetchError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const DEFAULTS = {
  maxPages: 500,
  maxAttempts: 6,
  backoff: { initialMs: 1000, maxMs: 60_000 },
  maxRetryAfterMs: 15 * 60_000,
  requestTimeoutMs: 30_000,
};

/** setTimeout-based Sleep that resolves at once when the signal aborts. */
export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Reads an ISO 15143-3 fleet page by page, following the `Links` entry with rel `next`, and hands
 * each page to `onPage` before asking for the next one. Stops when a page has no next link, when the
 * next link is the page itself or one already read, or after `maxPages`.
 */
export async function pollFleet(
  opts: PollerOptions,
  onPage: (page: FleetPage) => Promise<void>,
): Promise<PollResult> {
  const maxPages = opts.maxPages ?? DEFAULTS.maxPages;
  const origin = new URL(opts.url).origin;
  const read = new Set<string>();
  let url = new URL(opts.url).href;
  for (let number = 1; ; number++) {
    const { body, kind } = await fetchPage(url, opts);
    let document: FleetDocument;
    try {
      document = parseFleetDocument(body, kind);
    } catch (e) {
      throw new IsoFetchError(`page ${number} (${displayUrl(url)}): ${(e as Error).message}`);
    }
    await onPage({ number, url, document });
    read.add(url);
    if (!document.nextLink) return { pages: number, stoppedBy: 'no-next-link' };
    const next = resolveNext(document.nextLink, url, number);
    if (next === url) return { pages: number, stoppedBy: 'next-is-current' };
    if (read.has(next)) return { pages: number, stoppedBy: 'next-already-read' };
    if (number >= maxPages) return { pages: number, stoppedBy: 'max-pages' };
    // Credentials are for the configured endpoint only; never send them to another host.
    if (new URL(next).origin !== origin) {
      throw new IsoFetchError(
        `page ${number} links to ${displayUrl(next)}, outside ${origin}; not sending credentials there`,
      );
    }
    url = next;
  }
}

/** Runs `cycle` now and then every `intervalMs` after the previous run ended, until `signal` aborts. */
export async function runOnSchedule(
  cycle: () => Promise<void>,
  opts: { intervalMs: number; signal: AbortSignal; sleep?: Sleep; onError: (err: unknown) => void },
): Promise<void> {
  const sleep = opts.sleep ?? realSleep;
  while (!opts.signal.aborted) {
    try {
      await cycle();
    } catch (err) {
      // One failed poll (OEM down, throttled for hours) must not end a long-running poller.
      opts.onError(err);
    }
    if (opts.signal.aborted) break;
    await sleep(opts.intervalMs, opts.signal);
  }
}

/** The Authorization header value for the given credentials. */
export function authorizationHeader(auth: IsoAuth): string {
  switch (auth.kind) {
    case 'bearer':
      return `Bearer ${auth.token}`;
    case 'basic':
      return `Basic ${Buffer.from(`${auth.username}:${auth.password}`, 'utf8').toString('base64')}`;
  }
}

/** Delay asked by a Retry-After header (delta-seconds or HTTP date), or undefined if absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/^[a-z]{3},/i.test(v)) return undefined; // an HTTP date starts with the day name, e.g. 'Fri,'
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The URL without user info and with secret-looking query values masked, for messages and logs. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    for (const key of [...u.searchParams.keys()]) {
      if (/token|key|secret|pass|sig|auth/i.test(key)) u.searchParams.set(key, 'redacted');
    }
    return u.href;
  } catch {
    return '(invalid URL)';
  }
}

async function fetchPage(url: string, opts: PollerOptions): Promise<{ body: string; kind?: 'xml' | 'json' }> {
  const doFetch = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;
  const maxAttempts = opts.maxAttempts ?? DEFAULTS.maxAttempts;
  const backoff = opts.backoff ?? DEFAULTS.backoff;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs;
  const headers: Record<string, string> = { accept: 'application/xml, application/json;q=0.9' };
  if (opts.auth) headers.authorization = authorizationHeader(opts.auth);
  const shown = displayUrl(url);

  for (let attempt = 1; ; attempt++) {
    aborted(opts.signal);
    let res: ResponseLike | undefined;
    let reason = '';
    try {
      res = await doFetch(url, { headers, signal: requestSignal(opts) });
      if (res.status >= 200 && res.status < 300) {
        return { body: await res.text(), kind: contentKind(res.headers.get('content-type')) };
      }
    } catch (e) {
      // Connection refused or reset, timeout, or the body cut off mid-way: all worth another try.
      aborted(opts.signal);
      res = undefined;
      reason = `network error: ${(e as Error).message}`;
    }
    let delayMs = Math.min(backoff.initialMs * 2 ** (attempt - 1), backoff.maxMs);
    if (res) {
      const snippet = (await res.text().catch(() => '')).slice(0, 200).replace(/\s+/g, ' ').trim();
      if (res.status !== 429 && res.status < 500) {
        const hint = res.status === 401 || res.status === 403 ? ' (check ISO_AUTH and its credentials)' : '';
        throw new IsoFetchError(
          `HTTP ${res.status} from ${shown}${hint}${snippet && `: ${snippet}`}`,
          res.status,
        );
      }
      reason = `HTTP ${res.status}`;
      const asked = retryAfterMs(res.headers.get('retry-after'), now());
      if (asked !== undefined && asked > maxRetryAfterMs) {
        throw new IsoFetchError(
          `${shown} asked to retry after ${Math.ceil(asked / 1000)} s (HTTP ${res.status}), ` +
            `more than the ${maxRetryAfterMs / 1000} s limit; giving up`,
          res.status,
        );
      }
      if (asked !== undefined) delayMs = asked;
    }
    if (attempt >= maxAttempts) {
      throw new IsoFetchError(`gave up on ${shown} after ${attempt} attempts; last: ${reason}`, res?.status);
    }
    opts.onRetry?.({ url: shown, attempt, status: res?.status, delayMs, reason });
    await sleep(delayMs, opts.signal);
  }
}

function requestSignal(opts: PollerOptions): AbortSignal {
  const timeout = AbortSignal.timeout(opts.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs);
  return opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
}

function aborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new IsoFetchError('poll aborted');
}

function contentKind(contentType: string | null): 'xml' | 'json' | undefined {
  const t = (contentType ?? '').toLowerCase();
  if (t.includes('json')) return 'json';
  if (t.includes('xml')) return 'xml';
  return undefined; // let the parser sniff the body
}

function resolveNext(href: string, current: string, number: number): string {
  try {
    return new URL(href, current).href;
  } catch {
    throw new IsoFetchError(`page ${number} has an unusable next link ('${href.slice(0, 200)}')`);
  }
}
