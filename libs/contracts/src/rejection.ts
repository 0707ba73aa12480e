/** Stable, machine-readable reasons a message is dead-lettered (sent as the `x-error-code` header). */
export const RejectionCode = {
  EMPTY_MESSAGE: 'EMPTY_MESSAGE',
  TOO_LARGE: 'TOO_LARGE',
  INVALID_JSON: 'INVALID_JSON',
  NOT_AN_OBJECT: 'NOT_AN_OBJECT',
  SCHEMA_INVALID: 'SCHEMA_INVALID',
  UNKNOWN_TYPE: 'UNKNOWN_TYPE',
  TYPE_NOT_ALLOWED_ON_TOPIC: 'TYPE_NOT_ALLOWED_ON_TOPIC',
  UNSUPPORTED_SCHEMA_VERSION: 'UNSUPPORTED_SCHEMA_VERSION',
  OCCURRED_AT_IN_FUTURE: 'OCCURRED_AT_IN_FUTURE',
  INVALID_TIMESTAMP: 'INVALID_TIMESTAMP',
} as const;
export type RejectionCode = (typeof RejectionCode)[keyof typeof RejectionCode];

export const REJECTION_CODES: readonly RejectionCode[] = Object.freeze(Object.values(RejectionCode));

/** A permanent failure: the message can never become valid, so it goes to the DLQ unchanged. */
export interface Rejection {
  ok: false;
  code: RejectionCode;
  /** Human-readable; names the offending field, never echoes field values (personal data). */
  message: string;
}

export function reject(code: RejectionCode, message: string): Rejection {
  return { ok: false, code, message };
}
