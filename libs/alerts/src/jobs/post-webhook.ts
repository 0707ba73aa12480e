import { promises as dns } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { nonPublicKind } from '../core/webhook-url';

export interface PostResult {
  /** HTTP status, or undefined when no answer came (refused, reset, timed out). */
  status?: number;
  error?: string;
  durationMs: number;
}

/** Resolves a host name to its addresses (the system resolver by default; tests inject one). */
export type Resolve = (host: string) => Promise<{ address: string; family: number }[]>;

export interface PostRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Refuse hosts that are, or resolve to, loopback/private/link-local/… addresses (SSRF through DNS). */
  refusePrivateTargets?: boolean;
  resolve?: Resolve;
}

const systemResolve: Resolve = (host) => dns.lookup(host, { all: true, verbatim: true });

/** A delivery refused before any connection: the message says why. */
class RefusedTarget extends Error {}

/**
 * One POST with a hard deadline covering resolution, connect, headers and body. Redirects are not
 * followed: a receiver must answer at its own URL. Never throws: failures come back as `error`.
 *
 * With refusePrivateTargets the addresses are checked inside the connection's own lookup, and the socket
 * connects to exactly the addresses checked: a name re-pointed to an internal address between a check and
 * the connection (DNS rebinding) cannot slip through. Each delivery opens its own connection (no pooled
 * socket to an address resolved earlier).
 */
export async function postWebhook(req: PostRequest, now: () => number = Date.now): Promise<PostResult> {
  const started = now();
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), req.timeoutMs);
  try {
    const url = new URL(req.url);
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // An IP literal is connected to without any lookup: checked here.
    const literal = req.refusePrivateTargets ? nonPublicKind(host) : undefined;
    if (literal)
      return { error: `webhook host ${url.hostname} is a ${literal} address`, durationMs: now() - started };
    const lookup = checkedLookup(
      req.resolve ?? systemResolve,
      req.refusePrivateTargets ?? false,
      url.hostname,
    );
    const status = await send(url, req, lookup, abort.signal);
    return { status, durationMs: now() - started };
  } catch (err) {
    const error = abort.signal.aborted ? `timed out after ${req.timeoutMs} ms` : describe(err);
    return { error, durationMs: now() - started };
  } finally {
    clearTimeout(timer);
  }
}

/** A socket lookup that resolves once, refuses non-public addresses when asked, and hands over what it checked. */
function checkedLookup(resolve: Resolve, refusePrivate: boolean, hostname: string): LookupFunction {
  return (host, options, callback) => {
    resolve(host)
      .then((found) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
        const addresses = found.filter((a) => wanted === undefined || a.family === wanted);
        if (addresses.length === 0) {
          throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
        }
        for (const a of refusePrivate ? addresses : []) {
          const kind = nonPublicKind(a.address);
          if (kind)
            throw new RefusedTarget(`webhook host ${hostname} resolves to a ${kind} address (${a.address})`);
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      })
      .catch((err: NodeJS.ErrnoException) => callback(err, ''));
  };
}

function send(url: URL, req: PostRequest, lookup: LookupFunction, signal: AbortSignal): Promise<number> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
        lookup,
        signal,
        agent: false,
      },
      (res: IncomingMessage) => {
        // The answer's body is not needed; drain it under the same deadline so the socket is released.
        res.on('error', reject);
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.resume();
      },
    );
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/** Why a delivery failed: the refusal, the socket-level code (ECONNREFUSED, ENOTFOUND…), else the message. */
function describe(err: unknown): string {
  if (err instanceof RefusedTarget) return err.message;
  // Duck-typed otherwise: errors may come from another realm, so `instanceof Error` is unreliable.
  const e = err as {
    code?: unknown;
    message?: unknown;
    cause?: { code?: unknown; message?: unknown };
  } | null;
  const code = e?.code ?? e?.cause?.code;
  if (typeof code === 'string') return code;
  const msg = e?.cause?.message ?? e?.message;
  return typeof msg === 'string' ? msg : String(err);
}
