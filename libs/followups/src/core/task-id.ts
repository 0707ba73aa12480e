import { createHash } from 'node:crypto';

/** Deterministic task id: the decision that opened it (a replay opens the same task id). */
export const taskIdFor = (dealerId: string, openingDecisionId: string): string =>
  createHash('sha256').update(`task|${dealerId}|${openingDecisionId}`).digest('hex').slice(0, 32);
