import { lookup } from 'node:dns/promises';
import { nonPublicKind } from '../core/webhook-url';

export interface PostResult {
  /** HTTP status, or undefined when no answer came (refused, reset, timed out). */
  status?: number;
  error?: string;
  durationMs: number;
}

export interface PostRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Resolve the host first and refuse loopback/private/link-local/… addresses (SSRF through DNS). */
  refusePrivateTargets?: boolean;
}

/**
 * One POST with a hard deadline (AbortController) covering connect, headers and body. Redirects are
 * not followed: a receiver must answer at its own URL. Never throws: failures come back as `error`.
 */
export async function postWebhook(req: PostRequest, now: () => number = Date.now): Promise<PostResult> {
  const started = now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), req.timeoutMs);
  try {
    if (req.refusePrivateTargets) {
      const refused = await privateTarget(new URL(req.url).hostname);
      if (refused) return { error: refused, durationMs: now() - started };
    }
    const res = await fetch(req.url, {
      method: 'POST',
      body: req.body,
      headers: req.headers,
      redirect: 'manual',
      signal: abort.signal,
    });
    // The answer's body is not needed; drain it under the same deadline so the socket is released.
    await res.arrayBuffer();
    return { status: res.status, durationMs: now() - started };
  } catch (err) {
    const error = abort.signal.aborted ? `timed out after ${req.timeoutMs} ms` : describe(err);
    return { error, durationMs: now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Why the host must not be contacted, or undefined: it resolves (every address is checked) to a
 * non-public address. The check precedes the connection, so a name re-pointed in between (DNS
 * rebinding) is not caught; literals are refused when the subscription is added.
 */
async function privateTarget(hostname: string): Promise<string | undefined> {
  const host = hostname.replace(/^\[|\]$/g, '');
  const literal = nonPublicKind(host);
  if (literal) return `webhook host ${hostname} is a ${literal} address`;
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    return undefined; // let the request fail with the resolver's own code (ENOTFOUND…)
  }
  for (const a of addresses) {
    const kind = nonPublicKind(a.address);
    if (kind) return `webhook host ${hostname} resolves to a ${kind} address (${a.address})`;
  }
  return undefined;
}

/** The socket-level code when there is one (ECONNREFUSED, ECONNRESET, ENOTFOUND…), else the message. */
function describe(err: unknown): string {
  // Duck-typed: errors from fetch may come from another realm, so `instanceof Error` is unreliable.
  const e = err as { message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  const code = e?.cause?.code;
  if (typeof code === 'string') return code;
  const msg = e?.cause?.message ?? e?.message;
  return typeof msg === 'string' ? msg : String(err);
}
