import type { SurveyResponse } from '../model/customer-state';
import { DAY, HOUR, RULES, at, customer, expectedId } from '../spec-helpers';
import { detectDetractor } from './detractor';

const T = at('2026-04-12T16:30:00Z');
const survey = (patch: Partial<SurveyResponse>): SurveyResponse => ({
  id: 's-1',
  at: T,
  eventId: 'sv-1',
  ...patch,
});
const run = (s: SurveyResponse, asOf = T + HOUR) =>
  detectDetractor({ customer: customer({ surveys: [s] }), machines: [] }, asOf, RULES).decisions;

describe('DETRACTOR', () => {
  it('fires at NPS 6 with the comment, evidence, id and a 48 h respond-by', () => {
    expect(run(survey({ nps: 6, comment: ' Technician came late twice ' }))).toEqual([
      expect.objectContaining({
        id: expectedId(null, 'DETRACTOR', 'survey:s-1'),
        serialNumber: null,
        family: 'experience',
        message: 'close the loop within 48 h: Technician came late twice',
        evidenceEventIds: ['sv-1'],
        urgency: { respondByMs: T + 48 * HOUR },
      }),
    ]);
  });

  it.each([
    [{ nps: 6 }, 1],
    [{ nps: 7 }, 0],
    [{ ces: 3 }, 1],
    [{ ces: 4 }, 0],
    [{ csat: 2 }, 1],
    [{ csat: 3 }, 0],
    [{}, 0],
  ])('thresholds: %j -> %i decision(s)', (scores, count) => {
    expect(run(survey(scores))).toHaveLength(count);
  });

  it('names the failing scores when there is no comment', () => {
    expect(run(survey({ nps: 3, ces: 5, csat: 1 }))[0].message).toBe(
      'close the loop within 48 h: NPS 3, CSAT 1',
    );
  });

  it('only raises responses younger than 30 days', () => {
    expect(run(survey({ nps: 0 }), T + 30 * DAY - 1)).toHaveLength(1);
    expect(run(survey({ nps: 0 }), T + 30 * DAY)).toHaveLength(0);
    expect(run(survey({ nps: 0 }), T - 1)).toHaveLength(0); // not yet responded as of then
  });
});
