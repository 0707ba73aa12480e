import { mapSeverity } from './index';

describe('mapSeverity', () => {
  it.each([
    ['Informational', 'info'],
    ['0', 'info'],
    ['minor', 'low'],
    ['1', 'low'],
    ['WARNING', 'medium'],
    ['2', 'medium'],
    ['Major', 'high'],
    [3, 'high'],
    ['Shutdown', 'critical'],
    ['7', 'critical'],
    ['amber?', 'low'],
    ['constructor', 'low'],
    [undefined, 'low'],
  ])('maps %p to %s', (raw, severity) => {
    expect(mapSeverity(raw)).toBe(severity);
  });
});
