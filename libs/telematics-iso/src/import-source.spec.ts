import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  FleetImport,
  formatImportSummary,
  importFleetEndpoint,
  importFleetFiles,
  parseFleetDocument,
  snapshotEventId,
  type FetchLike,
  type TelematicsMessage,
} from './index';

const entry = (serial: string, hours: number | string, at = '2026-04-10T08:00:00Z') =>
  `<Equipment><EquipmentHeader><SerialNumber>${serial}</SerialNumber><EquipmentID>U-${serial}</EquipmentID>` +
  `</EquipmentHeader><CumulativeOperatingHours datetime="${at}"><Hour>${hours}</Hour></CumulativeOperatingHours></Equipment>`;
const fleet = (...entries: string[]) => `<Fleet>${entries.join('')}</Fleet>`;
/** The import's clock: a day after the readings of these tests. */
const now = () => Date.parse('2026-04-12T00:00:00Z');

function sink() {
  const batches: TelematicsMessage[][] = [];
  return { batches, publish: (m: TelematicsMessage[]) => (batches.push(m), Promise.resolve()) };
}

describe('FleetImport', () => {
  it('publishes each usable entry keyed by serial, reports rejected ones, skips repeats of an event', async () => {
    const { batches, publish } = sink();
    const run = new FleetImport({ dealerId: 'd1', publish, now });
    await run.add('a.xml', parseFleetDocument(fleet(entry('S-1', 10), entry('S-2', -1), entry('S-3', 30))));
    // Same machine, same reading time: the same event; a newer reading is a new one.
    await run.add(
      'b.xml',
      parseFleetDocument(fleet(entry('S-1', 10), entry('S-1', 12, '2026-04-11T08:00:00Z'))),
    );
    const summary = run.result();

    expect(batches.flat().map((m) => m.key)).toEqual(['S-1', 'S-3', 'S-1']);
    const first = JSON.parse(batches[0][0].value);
    expect(first).toMatchObject({
      eventId: snapshotEventId('d1', 'S-1', '2026-04-10T08:00:00Z'),
      type: 'telematics.snapshot',
      dealerId: 'd1',
      data: { serialNumber: 'S-1', cumulativeOperatingHours: 10 },
    });
    expect(summary).toEqual({
      dealerId: 'd1',
      documents: [
        {
          label: 'a.xml',
          equipment: 3,
          published: 2,
          duplicates: 0,
          conflicts: 0,
          unchanged: 0,
          rejected: 1,
          dropped: 0,
        },
        {
          label: 'b.xml',
          equipment: 2,
          published: 1,
          duplicates: 1,
          conflicts: 0,
          unchanged: 0,
          rejected: 0,
          dropped: 0,
        },
      ],
      published: 3,
      duplicates: 1,
      unchanged: 0,
      conflicts: [],
      rejected: [
        {
          document: 'a.xml',
          index: 1,
          serialNumber: 'S-2',
          equipmentId: 'U-S-2',
          reason: 'CumulativeOperatingHours.Hour is negative (-1)',
        },
      ],
      dropped: [],
      failed: [],
    });
  });

  it('reports an entry with the id of an earlier one but other readings as a conflict, not a duplicate', async () => {
    const { batches, publish } = sink();
    const run = new FleetImport({ dealerId: 'd1', publish, now });
    const at = '2026-04-10T08:00:00Z';
    await run.add('a.xml', parseFleetDocument(fleet(entry('S-1', 10, at), entry('S-2', 20, at))));
    // The same document again adds nothing; a second document with other hours for S-1 at the same time
    // contradicts the first: reported with both places and the differing field, never published.
    await run.add('a-again.xml', parseFleetDocument(fleet(entry('S-1', 10, at), entry('S-2', 20, at))));
    await run.add('b.xml', parseFleetDocument(fleet(entry('S-3', 5, at), entry('S-1', 11, at))));
    const summary = run.result();

    expect(batches.flat().map((m) => m.key)).toEqual(['S-1', 'S-2', 'S-3']);
    expect(JSON.parse(batches[0][0].value).data.cumulativeOperatingHours).toBe(10);
    expect(summary.documents).toEqual([
      {
        label: 'a.xml',
        equipment: 2,
        published: 2,
        duplicates: 0,
        conflicts: 0,
        unchanged: 0,
        rejected: 0,
        dropped: 0,
      },
      {
        label: 'a-again.xml',
        equipment: 2,
        published: 0,
        duplicates: 2,
        conflicts: 0,
        unchanged: 0,
        rejected: 0,
        dropped: 0,
      },
      {
        label: 'b.xml',
        equipment: 2,
        published: 1,
        duplicates: 0,
        conflicts: 1,
        unchanged: 0,
        rejected: 0,
        dropped: 0,
      },
    ]);
    expect(summary.duplicates).toBe(2);
    expect(summary.conflicts).toEqual([
      {
        document: 'b.xml',
        index: 1,
        serialNumber: 'S-1',
        occurredAt: at,
        eventId: snapshotEventId('d1', 'S-1', at),
        first: { document: 'a.xml', index: 0 },
        differences: ['cumulativeOperatingHours 10 ≠ 11'],
      },
    ]);
    expect(formatImportSummary(summary)).toContain(
      '  conflicting entries (same machine and reading time as an earlier entry, other readings; not published): 1\n' +
        '    - b.xml #1 serial S-1 at 2026-04-10T08:00:00Z: differs from a.xml #0 in cumulativeOperatingHours 10 ≠ 11\n',
    );
  });

  it('publishes in batches of batchSize', async () => {
    const { batches, publish } = sink();
    const run = new FleetImport({ dealerId: 'd1', publish, now, batchSize: 2 });
    await run.add('p', parseFleetDocument(fleet(...['A', 'B', 'C', 'D', 'E'].map((s) => entry(s, 1)))));
    expect(batches.map((b) => b.map((m) => m.key))).toEqual([['A', 'B'], ['C', 'D'], ['E']]);
  });
});

describe('importFleetFiles', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'iso-import-'));
    writeFileSync(path.join(dir, 'one.xml'), fleet(entry('X-1', 5)));
    writeFileSync(
      path.join(dir, 'two.json'),
      JSON.stringify({
        Equipment: [
          {
            EquipmentHeader: { SerialNumber: 'J-1' },
            Location: { datetime: '2026-04-10T09:00:00Z', Latitude: 47.5, Longitude: 8.1 },
          },
        ],
      }),
    );
    writeFileSync(path.join(dir, 'broken.xml'), '<Fleet><Equipment></Fleet>');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('imports XML and JSON files and reports unreadable ones without stopping', async () => {
    const { batches, publish } = sink();
    const files = ['one.xml', 'missing.xml', 'broken.xml', 'two.json'].map((f) => path.join(dir, f));
    const summary = await importFleetFiles(files, { dealerId: 'd1', publish, now });
    expect(batches.flat().map((m) => m.key)).toEqual(['X-1', 'J-1']);
    expect(summary.published).toBe(2);
    expect(summary.documents.map((d) => path.basename(d.label))).toEqual(['one.xml', 'two.json']);
    expect(summary.failed.map((f) => [path.basename(f.document), f.error.split(/[,:]/)[0]])).toEqual([
      ['missing.xml', 'ENOENT'],
      ['broken.xml', 'malformed XML at line 1'],
    ]);
  });
});

describe('importFleetEndpoint', () => {
  it('counts the pages published before the feed failed and reports the failure', async () => {
    const fetch: FetchLike = (url) =>
      Promise.resolve({
        status: url.endsWith('/1') ? 200 : 403,
        headers: { get: () => null },
        text: () =>
          Promise.resolve(
            url.endsWith('/1')
              ? `<Fleet><Links><rel>next</rel><href>/Fleet/2</href></Links>${entry('P-1', 3)}</Fleet>`
              : 'forbidden',
          ),
      });
    const { batches, publish } = sink();
    const summary = await importFleetEndpoint(
      { url: 'https://oem.example/Fleet/1', fetch, sleep: () => Promise.resolve() },
      { dealerId: 'd1', publish, now },
    );
    expect(batches.flat().map((m) => m.key)).toEqual(['P-1']);
    expect(summary.documents.map((d) => d.label)).toEqual(['page 1 (https://oem.example/Fleet/1)']);
    expect(summary.error).toBe(
      'HTTP 403 from https://oem.example/Fleet/2 (check ISO_AUTH and its credentials): forbidden',
    );
    expect(summary.poll).toBeUndefined();
  });

  it('propagates a publish failure', async () => {
    const fetch: FetchLike = () =>
      Promise.resolve({
        status: 200,
        headers: { get: () => null },
        text: () => Promise.resolve(fleet(entry('Q', 1))),
      });
    await expect(
      importFleetEndpoint(
        { url: 'https://oem.example/Fleet/1', fetch },
        { dealerId: 'd1', now, publish: () => Promise.reject(new Error('broker down')) },
      ),
    ).rejects.toThrow('broker down');
  });
});

describe('formatImportSummary', () => {
  it('prints counts and every rejection with its document, index, serial and reason', () => {
    const text = formatImportSummary(
      {
        dealerId: 'd1',
        documents: [
          {
            label: 'page 1 (https://x/1)',
            equipment: 3,
            published: 1,
            duplicates: 0,
            conflicts: 0,
            unchanged: 0,
            rejected: 2,
            dropped: 0,
          },
          {
            label: 'page 2 (https://x/2)',
            equipment: 1,
            published: 0,
            duplicates: 1,
            conflicts: 0,
            unchanged: 0,
            rejected: 0,
            dropped: 0,
          },
        ],
        published: 1,
        duplicates: 1,
        unchanged: 0,
        conflicts: [],
        rejected: [
          {
            document: 'page 1 (https://x/1)',
            index: 0,
            serialNumber: 'S-9',
            equipmentId: 'U-9',
            reason: 'no readings',
          },
          { document: 'page 1 (https://x/1)', index: 2, reason: 'EquipmentHeader.SerialNumber is absent' },
        ],
        dropped: [],
        failed: [],
        poll: { pages: 2, stoppedBy: 'next-is-current' },
      },
      'telematics.snapshots',
    );
    expect(text).toBe(
      [
        'ISO 15143-3 import for dealer d1',
        '  pages read: 2 (stopped: the next link is the page itself)',
        '  equipment entries: 4',
        '  events published: 1 to telematics.snapshots',
        '  duplicates skipped (already published in this run): 1',
        '  entries rejected: 2',
        '    - page 1 (https://x/1) #0 serial S-9, EquipmentID U-9: no readings',
        '    - page 1 (https://x/1) #2: EquipmentHeader.SerialNumber is absent',
        '',
      ].join('\n'),
    );
  });

  it('lists unreadable documents for a file import', () => {
    const text = formatImportSummary({
      dealerId: 'd1',
      documents: [],
      published: 0,
      duplicates: 0,
      unchanged: 0,
      conflicts: [],
      rejected: [],
      dropped: [],
      failed: [{ document: 'x.xml', error: 'fleet document is empty' }],
    });
    expect(text).toContain('  documents read: 0\n');
    expect(text).toContain('  documents unreadable: 1\n    - x.xml: fleet document is empty\n');
  });
});
