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

/** The socket-level code when there is one (ECONNREFUSED, ECONNRESET, ENOTFOUND…), else the message. */
function describe(err: unknown): string {
  // Duck-typed: errors from fetch may come from another realm, so `instanceof Error` is unreliable.
  const e = err as { message?: unknown; cause?: { code?: unknown; message?: unknown } } | null;
  const code = e?.cause?.code;
  if (typeof code === 'string') return code;
  const msg = e?.cause?.message ?? e?.message;
  return typeof msg === 'string' ? msg : String(err);
}
