import {
  formatImportSummary,
  importFleetEndpoint,
  PublishedSnapshots,
  type FetchLike,
  type TelematicsMessage,
} from './index';

const entry = (serial: string, hours: number, at: string) =>
  `<Equipment><EquipmentHeader><SerialNumber>${serial}</SerialNumber></EquipmentHeader>` +
  `<CumulativeOperatingHours datetime="${at}"><Hour>${hours}</Hour></CumulativeOperatingHours></Equipment>`;

/** An endpoint serving one page whose content the test changes between cycles. */
function endpoint() {
  const state = { page: '' };
  const fetch: FetchLike = () =>
    Promise.resolve({ status: 200, headers: { get: () => null }, text: () => Promise.resolve(state.page) });
  return { state, fetch };
}

describe('scheduled polling with PublishedSnapshots', () => {
  const T1 = '2026-11-20T09:00:00Z';
  const T2 = '2026-11-21T09:00:00Z';
  const now = () => Date.parse('2026-11-24T03:30:00Z');

  it('publishes a machine again only when its reading is newer than the one last published', async () => {
    const { state, fetch } = endpoint();
    const sent: TelematicsMessage[][] = [];
    const published = new PublishedSnapshots();
    const cycle = () =>
      importFleetEndpoint(
        { url: 'https://oem.example/Fleet/1', fetch },
        { dealerId: 'd1', now, published, publish: (m) => (sent.push(m), Promise.resolve()) },
      );

    state.page = `<Fleet>${entry('A', 10, T1)}${entry('B', 20, T1)}</Fleet>`;
    const first = await cycle();
    const second = await cycle(); // nothing changed
    state.page = `<Fleet>${entry('A', 12, T2)}${entry('B', 20, T1)}</Fleet>`;
    const third = await cycle(); // A has a new reading
    state.page = `<Fleet>${entry('A', 10, T1)}${entry('B', 20, T1)}</Fleet>`;
    const fourth = await cycle(); // the feed serves A's older reading again

    const keys = sent.map((batch) => batch.map((m) => `${m.key}@${JSON.parse(m.value).occurredAt}`));
    expect(keys).toEqual([[`A@${T1}`, `B@${T1}`], [`A@${T2}`]]);
    expect([first, second, third, fourth].map((s) => [s.published, s.unchanged, s.duplicates])).toEqual([
      [2, 0, 0],
      [0, 2, 0],
      [1, 1, 0],
      [0, 2, 0],
    ]);
    expect(second.documents[0]).toMatchObject({ published: 0, unchanged: 2 });
    expect(published.size).toBe(2); // one entry per machine
    expect(formatImportSummary(second, 'tel')).toContain(
      '  events published: 0 to tel\n' +
        '  unchanged since an earlier poll (same or older reading; not sent again): 2\n',
    );
  });

  it('reports a machine whose reading at the same time changed between cycles as a conflict', async () => {
    const { state, fetch } = endpoint();
    const published = new PublishedSnapshots();
    const publish = () => Promise.resolve();
    const opts = { dealerId: 'd1', now, published, publish };
    state.page = `<Fleet>${entry('A', 10, T1)}</Fleet>`;
    await importFleetEndpoint({ url: 'https://oem.example/Fleet/1', fetch }, opts);
    state.page = `<Fleet>${entry('A', 11, T1)}</Fleet>`;
    const again = await importFleetEndpoint({ url: 'https://oem.example/Fleet/1', fetch }, opts);
    expect(again.published).toBe(0);
    expect(again.unchanged).toBe(0);
    expect(again.conflicts.map((c) => [c.serialNumber, c.first, c.differences])).toEqual([
      [
        'A',
        { document: 'page 1 (https://oem.example/Fleet/1)', index: 0 },
        ['cumulativeOperatingHours 10 ≠ 11'],
      ],
    ]);
  });

  it('remembers nothing a failed publish did not send', async () => {
    const { state, fetch } = endpoint();
    const published = new PublishedSnapshots();
    state.page = `<Fleet>${entry('A', 10, T1)}</Fleet>`;
    const url = 'https://oem.example/Fleet/1';
    await expect(
      importFleetEndpoint(
        { url, fetch },
        { dealerId: 'd1', now, published, publish: () => Promise.reject(new Error('broker down')) },
      ),
    ).rejects.toThrow('broker down');
    expect(published.size).toBe(0);
    const retry = await importFleetEndpoint(
      { url, fetch },
      { dealerId: 'd1', now, published, publish: () => Promise.resolve() },
    );
    expect(retry.published).toBe(1);
  });
});
