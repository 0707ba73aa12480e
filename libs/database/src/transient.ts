/** Postgres SQLSTATE classes that mean "try again later", not "this input is bad". */
const TRANSIENT_SQLSTATE = [/^08/, /^53/, /^57P0[1-3]$/, /^40001$/, /^40P01$/, /^55P03$/, /^58/];
const TRANSIENT_MESSAGE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|connection timeout|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|Client has encountered a connection error|terminating connection|Connection ended|not queryable/i;

/**
 * A failure that says nothing about the message (database down, deadlock, broker unreachable):
 * retried with back-off, never dead-lettered, never skipped.
 */
export function isTransient(err: unknown): boolean {
  // Duck-typed on purpose: errors from another realm (worker, vm, jest sandbox) fail `instanceof Error`.
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && TRANSIENT_SQLSTATE.some((re) => re.test(code))) return true;
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return true;
  const driverError = (err as { driverError?: unknown }).driverError;
  if (driverError && driverError !== err && isTransient(driverError)) return true;
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && TRANSIENT_MESSAGE.test(message);
}

/** Exponential back-off with a cap: 200 ms, 400 ms, … up to `capMs`. */
export const backoffMs = (attempt: number, capMs = 10_000): number =>
  Math.min(capMs, 200 * 2 ** Math.min(attempt, 10));
