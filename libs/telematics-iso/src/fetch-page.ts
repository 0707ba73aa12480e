import {
  authorizationHeader,
  displayUrl,
  IsoFetchError,
  realSleep,
  retryAfterMs,
  type FetchLike,
  type IsoAuth,
  type ResponseLike,
  type Sleep,
} from './http';
import { MAX_DOCUMENT_BYTES, readBounded, tooLargeMessage } from './limits';

/** How one page is requested: credentials, retries and back-off, limits. */
export interface FetchOptions {
  auth?: IsoAuth;
  fetch?: FetchLike;
  sleep?: Sleep;
  /** Clock in epoch ms; used to read a Retry-After given as an HTTP date. */
  now?: () => number;
  /** Requests per page before giving up on 429, 5xx or network errors (default 6). */
  maxAttempts?: number;
  /** Exponential back-off when the server gives no Retry-After: initialMs · 2^(attempt−1), at most maxMs. */
  backoff?: { initialMs: number; maxMs: number };
  /** A Retry-After longer than this makes the poller give up instead of waiting (default 15 min). */
  maxRetryAfterMs?: number;
  /** Per-request timeout with the real fetch (default 30 s). */
  requestTimeoutMs?: number;
  /** Largest page body read (default MAX_DOCUMENT_BYTES, 50 MiB); a larger page ends the poll. */
  maxBodyBytes?: number;
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

const DEFAULTS = {
  maxAttempts: 6,
  backoff: { initialMs: 1000, maxMs: 60_000 },
  maxRetryAfterMs: 15 * 60_000,
  requestTimeoutMs: 30_000,
  maxRedirects: 5,
};

export interface FetchedPage {
  body: string;
  kind?: 'xml' | 'json';
  /** The URL the body came from (after same-origin redirects). */
  url: string;
}

/**
 * One page: retried on 429 (honouring Retry-After), 5xx and network errors; redirects followed only within
 * `origin`; the body read up to the size limit. Permanent failures are IsoFetchError.
 */
export async function fetchPage(
  firstUrl: string,
  opts: FetchOptions,
  origin: string,
  number: number,
): Promise<FetchedPage> {
  const doFetch = opts.fetch ?? fetch;
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;
  const maxAttempts = opts.maxAttempts ?? DEFAULTS.maxAttempts;
  const backoff = opts.backoff ?? DEFAULTS.backoff;
  const maxRetryAfterMs = opts.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs;
  const headers: Record<string, string> = { accept: 'application/xml, application/json;q=0.9' };
  if (opts.auth) headers.authorization = authorizationHeader(opts.auth);
  let url = firstUrl;
  let redirects = 0;

  for (let attempt = 1; ; attempt++) {
    aborted(opts.signal);
    const shown = displayUrl(url);
    let res: ResponseLike | undefined;
    let reason = '';
    try {
      // Redirects are followed here, not by fetch: only within the configured origin (the credentials').
      res = await doFetch(url, { headers, signal: requestSignal(opts), redirect: 'manual' });
      if (res.status >= 200 && res.status < 300) {
        const body = await readBody(res, opts.maxBodyBytes ?? MAX_DOCUMENT_BYTES, number, shown);
        return { body, kind: contentKind(res.headers.get('content-type')), url };
      }
      if (REDIRECTS.has(res.status)) {
        discard(res);
        url = redirectTarget(res, url, origin, number, ++redirects);
        attempt--; // a redirect is not a failed attempt
        continue;
      }
    } catch (e) {
      if (e instanceof IsoFetchError) throw e;
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

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Where a redirect leads, if it stays within `origin`; anything else ends the poll (IsoFetchError). */
function redirectTarget(
  res: ResponseLike,
  from: string,
  origin: string,
  number: number,
  hops: number,
): string {
  const location = res.headers.get('location');
  let target: URL;
  try {
    if (location === null) throw new Error('no Location');
    target = new URL(location, from);
  } catch {
    throw new IsoFetchError(
      `page ${number} (${displayUrl(from)}): HTTP ${res.status} without a usable Location`,
    );
  }
  if (target.origin !== origin) {
    throw new IsoFetchError(
      `page ${number} (${displayUrl(from)}) redirects to ${displayUrl(target.href)}, outside ${origin}; ` +
        'not following it (the credentials and the feed are for that origin only)',
      res.status,
    );
  }
  if (hops > DEFAULTS.maxRedirects) {
    throw new IsoFetchError(
      `page ${number} (${displayUrl(from)}): more than ${DEFAULTS.maxRedirects} redirects`,
    );
  }
  return target.href;
}

/** The body, refused (IsoFetchError, not retried) when Content-Length or the bytes read pass `maxBytes`. */
async function readBody(res: ResponseLike, maxBytes: number, number: number, shown: string): Promise<string> {
  const tooLarge = (size?: number) =>
    new IsoFetchError(`page ${number} (${shown}): ${tooLargeMessage(maxBytes, size)}`);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    discard(res);
    throw tooLarge(declared);
  }
  const stream = res.body;
  const text =
    stream !== null && typeof stream === 'object' && Symbol.asyncIterator in stream
      ? await readBounded(stream as AsyncIterable<Uint8Array>, maxBytes)
      : await res.text();
  if (text === undefined || Buffer.byteLength(text, 'utf8') > maxBytes) throw tooLarge();
  return text;
}

/** Lets go of a body that will not be read (the real fetch keeps the connection until it is consumed). */
function discard(res: ResponseLike): void {
  const body = res.body as { cancel?: () => Promise<void> } | null | undefined;
  if (typeof body?.cancel === 'function') body.cancel().catch(() => undefined);
}

function requestSignal(opts: FetchOptions): AbortSignal {
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
