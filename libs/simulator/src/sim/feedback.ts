import { BAD_COMMENTS, COMPLAINT_CATEGORIES, GOOD_COMMENTS, NEUTRAL_COMMENTS } from '../catalogue';
import type { Rng } from '../random/rng';
import { DAY_MS } from '../time';
import type { EventFactory, Pending } from './event-factory';

/** How the customer feels about the dealer: sets survey scores (a `bad` survey is a detractor). */
export type Mood = 'good' | 'neutral' | 'bad';

export interface SurveyHead {
  surveyId: string;
  customerId: string;
  serialNumber: string;
  workOrderId: string;
}

export function surveyResponded(
  factory: EventFactory,
  rng: Rng,
  at: number,
  head: SurveyHead,
  mood: Mood,
): Pending {
  const data: Record<string, unknown> = { ...head };
  switch (mood) {
    case 'good':
      data.nps = rng.int(8, 10);
      if (rng.chance(0.6)) data.ces = rng.int(5, 7);
      if (rng.chance(0.6)) data.csat = rng.int(4, 5);
      if (rng.chance(0.4)) data.comment = rng.pick(GOOD_COMMENTS);
      break;
    case 'neutral':
      data.nps = rng.int(7, 8);
      if (rng.chance(0.6)) data.ces = rng.int(4, 6);
      if (rng.chance(0.6)) data.csat = rng.int(3, 4);
      if (rng.chance(0.4)) data.comment = rng.pick(NEUTRAL_COMMENTS);
      break;
    case 'bad':
      data.nps = rng.int(0, 4);
      data.ces = rng.int(1, 3);
      data.csat = rng.int(1, 2);
      data.comment = rng.pick(BAD_COMMENTS);
      break;
  }
  return factory.make('survey.responded', at, `sv-${head.surveyId}`, head.serialNumber, data);
}

export interface ComplaintHead {
  complaintId: string;
  customerId: string;
  serialNumber: string;
}

/** A complaint; minor ones close within days, half of the serious ones are never resolved. */
export function complaintEvents(
  factory: EventFactory,
  rng: Rng,
  at: number,
  head: ComplaintHead,
  severity: 'low' | 'high',
  out: Pending[],
): void {
  const { complaintId, customerId } = head;
  out.push(
    factory.make('complaint.opened', at, `co-${complaintId}-opened`, head.serialNumber, {
      ...head,
      category: rng.pick(COMPLAINT_CATEGORIES),
      severity,
    }),
  );
  if (severity === 'low' || rng.chance(0.5)) {
    const resolvedAt = at + (severity === 'low' ? rng.int(1, 5) : rng.int(10, 25)) * DAY_MS;
    out.push(
      factory.make('complaint.resolved', resolvedAt, `co-${complaintId}-resolved`, customerId, {
        complaintId,
        customerId,
      }),
    );
  }
}
