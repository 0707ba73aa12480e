/** The HTTP side of the poller: credentials, the fetch seam, its errors and helpers for messages. */

/** Credentials for the OEM endpoint. They only ever go into the Authorization header. */
export type IsoAuth =
  { kind: 'bearer'; token: string } | { kind: 'basic'; username: string; password: string };

/** The part of `fetch` the poller uses, so tests can pass a fake. The global `fetch` fits. */
export type FetchLike = (
  url: string,
  init: { headers: Record<string, string>; signal?: AbortSignal; redirect: 'manual' },
) => Promise<ResponseLike>;

export interface ResponseLike {
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  /** The body as a stream of chunks (the real fetch's ReadableStream); read with a size limit when present. */
  body?: unknown;
}

/** Waits `ms`, resolving early when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

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
