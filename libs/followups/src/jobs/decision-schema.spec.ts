import { decision } from '../core/spec-helpers';
import { parseDecision } from './decision-schema';

describe('parseDecision', () => {
  const env = { dealerId: 'dealer-1', decisionId: 'd1' };

  it('accepts a published decision, extra fields dropped', () => {
    const r = parseDecision({ ...decision(), clv: 5, ruleId: 'x:y' }, env);
    expect(r).toEqual({ ok: true, decision: decision() });
  });

  it('accepts a decision whose branch is not known yet', () => {
    expect(parseDecision(decision({ branchId: '' }), env)).toEqual({
      ok: true,
      decision: decision({ branchId: '' }),
    });
  });

  it('rejects with the failing field', () => {
    expect(parseDecision({ ...decision(), branchId: null }, env)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^invalid decision: branchId: /),
    });
    expect(parseDecision({ ...decision(), reasonCode: 'NOPE' }, env)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^invalid decision: reasonCode: /),
    });
    expect(parseDecision({ ...decision(), family: 'coverage' }, env)).toEqual({
      ok: false,
      reason: 'invalid decision: (root): family does not match reasonCode',
    });
    expect(parseDecision(decision(), { ...env, decisionId: 'other' })).toEqual({
      ok: false,
      reason: 'invalid decision: dealerId or id differs from its outbox row',
    });
  });
});

describe('parseDecision: the urgency valuing applied', () => {
  const env = { dealerId: 'dealer-1', decisionId: 'd1' };

  it('keeps the urgency factor and the end valuing weighed', () => {
    const valued = { ...decision(), urgencyFactor: 2, urgencyEndsAtMs: 1_700_000_000_000 };
    expect(parseDecision(valued, env)).toEqual({ ok: true, decision: valued });
  });

  it('accepts a decision published before valuing carried them', () => {
    const r = parseDecision(decision(), env);
    expect(r.ok && 'urgencyFactor' in r.decision).toBe(false);
  });

  it('rejects a factor other than 1 or 2, or a negative end', () => {
    expect(parseDecision({ ...decision(), urgencyFactor: 4 }, env)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^invalid decision: urgencyFactor: /),
    });
    expect(parseDecision({ ...decision(), urgencyEndsAtMs: -1 }, env)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^invalid decision: urgencyEndsAtMs: /),
    });
  });
});
