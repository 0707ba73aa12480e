import type { Admin } from 'kafkajs';
import { listPartitions } from './partitions';

describe('listPartitions', () => {
  const admin = {
    fetchTopicOffsets: () =>
      Promise.resolve([
        { partition: 0, low: '0', high: '0', offset: '0' }, // empty
        { partition: 1, low: '0', high: '5', offset: '5' }, // read to its end
        { partition: 2, low: '0', high: '7', offset: '7' }, // read up to 4
        { partition: 3, low: '2', high: '4', offset: '4' }, // never committed
      ]),
    fetchOffsets: () =>
      Promise.resolve([
        {
          topic: 't',
          partitions: [
            { partition: 0, offset: '-1' },
            { partition: 1, offset: '5' },
            { partition: 2, offset: '4' },
            { partition: 3, offset: '-1' },
          ],
        },
      ]),
  } as unknown as Admin;

  it("says which partitions the group has read to their end (committed offset at the log's end)", async () => {
    expect(await listPartitions(admin, ['t'], 'g')).toEqual([
      { topic: 't', partition: 0, empty: true, readByGroup: true },
      { topic: 't', partition: 1, empty: false, readByGroup: true },
      { topic: 't', partition: 2, empty: false, readByGroup: false },
      { topic: 't', partition: 3, empty: false, readByGroup: false },
    ]);
  });

  it('without a group, only empty partitions count as read', async () => {
    expect((await listPartitions(admin, ['t'])).map((p) => p.readByGroup)).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });
});
