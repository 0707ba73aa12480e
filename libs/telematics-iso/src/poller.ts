import { fetchPage, type FetchOptions } from './fetch-page';
import { displayUrl, IsoFetchError, realSleep, type Sleep } from './http';
import { parseFleetDocument } from './parse';
import type { FleetDocument } from './types';

export interface PollerOptions extends FetchOptions {
  /** First page of the fleet, e.g. `https://oem.example/Fleet/1`. */
  url: string;
  /** Stop after this many pages even if the feed announces more (default 500). */
  maxPages?: number;
}

export interface FleetPage {
  /** 1-based position in this poll. */
  number: number;
  /** Where the page was read (after same-origin redirects). */
  url: string;
  document: FleetDocument;
}

export type PollStop = 'no-next-link' | 'next-is-current' | 'next-already-read' | 'max-pages';

export interface PollResult {
  pages: number;
  stoppedBy: PollStop;
}

const DEFAULT_MAX_PAGES = 500;

/**
 * Reads an ISO 15143-3 fleet page by page, following the `Links` entry with rel `next`, and hands
 * each page to `onPage` before asking for the next one. Stops when a page has no next link, when the
 * next link is the page itself or one already read, or after `maxPages`.
 */
export async function pollFleet(
  opts: PollerOptions,
  onPage: (page: FleetPage) => Promise<void>,
): Promise<PollResult> {
  const maxPages = opts.maxPages ?? DEFAULT_MAX_PAGES;
  const origin = new URL(opts.url).origin;
  const read = new Set<string>();
  let url = new URL(opts.url).href;
  for (let number = 1; ; number++) {
    const requested = url;
    const fetched = await fetchPage(requested, opts, origin, number);
    url = fetched.url; // a same-origin redirect: next links are relative to where the page was read
    let document: FleetDocument;
    try {
      document = parseFleetDocument(fetched.body, fetched.kind);
    } catch (e) {
      throw new IsoFetchError(`page ${number} (${displayUrl(url)}): ${(e as Error).message}`);
    }
    await onPage({ number, url, document });
    read.add(requested).add(url);
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

function resolveNext(href: string, current: string, number: number): string {
  try {
    return new URL(href, current).href;
  } catch {
    throw new IsoFetchError(`page ${number} has an unusable next link ('${href.slice(0, 200)}')`);
  }
}
