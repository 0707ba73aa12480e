import { closureFor, mootAt, parseSuppression, suppressionJobId } from './apply-suppression';

const SINCE = Date.UTC(2026, 7, 1);
const at = (ms: number) => ({ detectedAt: new Date(ms).toISOString() });

describe('suppressions and tasks', () => {
  it('close a sold machine with the PRODUCT outcome machine-sold', () => {
    expect(closureFor({ reasonCode: 'MACHINE_SOLD', sinceMs: SINCE })).toEqual({
      outcome: 'machine-sold',
      note: 'closed by the system: machine sold (MACHINE_SOLD since 2026-08-01T00:00:00.000Z)',
    });
  });

  it('withdraw a parked or relocated machine without an outcome, and keep tasks on NOT_REPORTING', () => {
    expect(closureFor({ reasonCode: 'MACHINE_PARKED', sinceMs: SINCE })).toEqual({
      outcome: null,
      note: 'withdrawn by the system: machine parked (MACHINE_PARKED since 2026-08-01T00:00:00.000Z)',
    });
    expect(closureFor({ reasonCode: 'MACHINE_RELOCATED', sinceMs: SINCE })?.outcome).toBeNull();
    expect(closureFor({ reasonCode: 'NOT_REPORTING', sinceMs: SINCE })).toBeNull();
  });

  it('make a task moot only when every reason was detected before the suppression held', () => {
    expect(mootAt([at(SINCE - 1), at(SINCE - 5)], SINCE)).toBe(true);
    expect(mootAt([at(SINCE - 1), at(SINCE)], SINCE)).toBe(false);
    expect(mootAt([at(SINCE + 1)], SINCE)).toBe(false);
    expect(mootAt([], SINCE)).toBe(false);
  });

  it('validate the payload against its outbox row, naming the problem', () => {
    const s = {
      id: 's1',
      dealerId: 'd1',
      customerId: 'c1',
      serialNumber: 'SN',
      reasonCode: 'MACHINE_SOLD',
      sinceMs: SINCE,
    };
    expect(parseSuppression(s, { dealerId: 'd1', suppressionId: 's1' })).toEqual({
      ok: true,
      suppression: s,
    });
    expect(parseSuppression({ ...s, sinceMs: 'x' }, { dealerId: 'd1', suppressionId: 's1' })).toEqual({
      ok: false,
      reason: 'invalid suppression: sinceMs: Invalid input: expected number, received string',
    });
    expect(parseSuppression(s, { dealerId: 'd2', suppressionId: 's1' })).toEqual({
      ok: false,
      reason: 'invalid suppression: dealerId or id differs from its outbox row',
    });
  });

  it('have deterministic job ids free of ":"', () => {
    expect(suppressionJobId('a:b.c', 'ab12')).toBe('suppression.a%3Ab%2Ec.ab12');
  });
});
