/** Stable error codes of the API; the HTTP status is chosen once, here. */
export const API_ERRORS = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  TASK_CLAIMED_BY_OTHER: 409,
  TASK_CLOSED: 409,
  INTERNAL: 500,
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** A domain error with a stable code; the API exception filter maps it to `{ error: { code, message, id } }`. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get status(): number {
    return API_ERRORS[this.code];
  }
}
