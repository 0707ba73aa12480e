/**
 * Largest fleet document read, from a file or as one HTTP page. Parsing takes about 17 times the
 * document's size in memory, so this keeps one document well under a default Node heap; a larger one is
 * reported (naming the file or page) instead of ending the process out of memory.
 */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

/** `document is N bytes, over the M-byte (50 MiB) limit`; without a known size, `larger than …`. */
export function tooLargeMessage(maxBytes: number, size?: number): string {
  const mib = maxBytes % (1024 * 1024) === 0 ? ` (${maxBytes / (1024 * 1024)} MiB)` : '';
  const what =
    size === undefined
      ? `is larger than the ${maxBytes}-byte${mib}`
      : `is ${size} bytes, over the ${maxBytes}-byte${mib}`;
  return `document ${what} limit; not read`;
}

/**
 * Reads `chunks` into one UTF-8 string, stopping (and returning undefined) as soon as more than
 * `maxBytes` arrived, so an endless or huge body never lands in memory.
 */
export async function readBounded(
  chunks: AsyncIterable<Uint8Array>,
  maxBytes: number,
): Promise<string | undefined> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    total += chunk.byteLength;
    if (total > maxBytes) return undefined; // leaving the loop cancels the stream
    parts.push(chunk);
  }
  return Buffer.concat(parts).toString('utf8');
}
