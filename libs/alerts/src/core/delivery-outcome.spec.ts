import { classifyStatus } from './delivery-outcome';

describe('classifyStatus', () => {
  it.each([
    [200, 'delivered'],
    [204, 'delivered'],
    [299, 'delivered'],
    [500, 'retry'],
    [503, 'retry'],
    [408, 'retry'],
    [429, 'retry'],
    [301, 'rejected'],
    [400, 'rejected'],
    [401, 'rejected'],
    [404, 'rejected'],
    [410, 'rejected'],
  ] as const)('%d → %s', (status, outcome) => {
    expect(classifyStatus(status)).toBe(outcome);
  });
});
