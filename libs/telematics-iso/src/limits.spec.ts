import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  importFleetEndpoint,
  importFleetFiles,
  MAX_DOCUMENT_BYTES,
  pollFleet,
  type FetchLike,
  type ResponseLike,
  type TelematicsMessage,
} from './index';

const now = () => Date.parse('2026-11-24T03:30:00Z');
const fleet = (serial: string) =>
  `<Fleet><Equipment><EquipmentHeader><SerialNumber>${serial}</SerialNumber></EquipmentHeader>` +
  `<CumulativeOperatingHours datetime="2026-11-20T09:00:00Z"><Hour>1</Hour></CumulativeOperatingHours></Equipment></Fleet>`;

describe('document size limit: files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'iso-limit-'));
    writeFileSync(path.join(dir, 'small.xml'), fleet('S-1'));
    writeFileSync(path.join(dir, 'padded.xml'), fleet('S-2') + ' '.repeat(2000));
    writeFileSync(path.join(dir, 'huge.xml'), '');
    truncateSync(path.join(dir, 'huge.xml'), MAX_DOCUMENT_BYTES + 1); // sparse: no disk, no read
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is 50 MiB by default: a larger file is reported, not read, and the other files still go', async () => {
    const sent: TelematicsMessage[] = [];
    const files = ['huge.xml', 'small.xml'].map((f) => path.join(dir, f));
    const summary = await importFleetFiles(files, {
      dealerId: 'd1',
      now,
      publish: (m) => (sent.push(...m), Promise.resolve()),
    });
    expect(sent.map((m) => m.key)).toEqual(['S-1']);
    expect(summary.failed).toEqual([
      {
        document: files[0],
        error: 'document is 52428801 bytes, over the 52428800-byte (50 MiB) limit; not read',
      },
    ]);
  });

  it('takes another limit from maxDocumentBytes', async () => {
    const files = ['padded.xml', 'small.xml'].map((f) => path.join(dir, f));
    const summary = await importFleetFiles(files, {
      dealerId: 'd1',
      now,
      maxDocumentBytes: 1000,
      publish: () => Promise.resolve(),
    });
    expect(summary.published).toBe(1);
    expect(summary.failed.map((f) => [path.basename(f.document), f.error])).toEqual([
      ['padded.xml', expect.stringMatching(/^document is \d+ bytes, over the 1000-byte limit; not read$/)],
    ]);
  });
});

describe('document size limit: HTTP pages', () => {
  const URL1 = 'https://oem.example/Fleet/1';

  /** A response whose body is an endless stream of 64 KiB chunks; counts the chunks read. */
  function endless(headers: Record<string, string> = {}) {
    const stats = { chunks: 0, closed: false };
    async function* body(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) {
          await Promise.resolve(); // as a socket would: each chunk arrives later
          stats.chunks++;
          yield new Uint8Array(64 * 1024).fill(32);
        }
      } finally {
        stats.closed = true;
      }
    }
    const response: ResponseLike = {
      status: 200,
      headers: { get: (n) => headers[n.toLowerCase()] ?? null },
      text: () => Promise.reject(new Error('text() must not be used for a streamed body')),
      body: body(),
    };
    return { stats, response };
  }

  it('stops reading a streamed body once it passes the limit and ends the poll naming the page', async () => {
    const { stats, response } = endless();
    let calls = 0;
    const fetch: FetchLike = () => (calls++, Promise.resolve(response));
    await expect(
      pollFleet({ url: URL1, fetch, maxBodyBytes: 1024 * 1024 }, () => Promise.resolve()),
    ).rejects.toThrow(
      'page 1 (https://oem.example/Fleet/1): document is larger than the 1048576-byte (1 MiB) limit; not read',
    );
    expect(stats.chunks).toBe(17); // 16 × 64 KiB = 1 MiB, the 17th passes it
    expect(stats.closed).toBe(true);
    expect(calls).toBe(1); // not retried
  });

  it('refuses a page whose Content-Length is over the limit before reading it', async () => {
    const { stats, response } = endless({ 'content-length': String(MAX_DOCUMENT_BYTES + 1) });
    const summary = await importFleetEndpoint(
      { url: URL1, fetch: () => Promise.resolve(response) },
      { dealerId: 'd1', now, publish: () => Promise.resolve() },
    );
    expect(summary.error).toBe(
      'page 1 (https://oem.example/Fleet/1): document is 52428801 bytes, over the 52428800-byte (50 MiB) limit; not read',
    );
    expect(stats.chunks).toBe(0);
  });

  it('checks a body read with text() too', async () => {
    const fetch: FetchLike = () =>
      Promise.resolve({
        status: 200,
        headers: { get: () => null },
        text: () => Promise.resolve(fleet('X') + ' '.repeat(500)),
      });
    await expect(pollFleet({ url: URL1, fetch, maxBodyBytes: 300 }, () => Promise.resolve())).rejects.toThrow(
      'page 1 (https://oem.example/Fleet/1): document is larger than the 300-byte limit; not read',
    );
  });
});
