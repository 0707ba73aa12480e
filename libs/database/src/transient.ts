/**
 * Postgres SQLSTATEs that mean "try again later", not "this input is bad": the failure hits every event
 * alike, so dead-lettering would throw away valid input. Connection exceptions (08), a read-only
 * transaction after a failover (25006) and session/transaction timeouts (25P03, 25P04), authentication
 * and authorization (28), a missing database (3D000) or schema (3F000), a schema not (yet) migrated —
 * undefined table, column or function (42P01, 42703, 42883) —, insufficient privilege (42501),
 * serialization failures and deadlocks (40001, 40P01), insufficient resources — disk, memory,
 * connections (53) —, operator intervention: statement timeout, query cancelled, shutdown (57),
 * lock not available (55P03) and system errors (58).
 */
const TRANSIENT_SQLSTATE = [
  /^08/,
  /^25006$/,
  /^25P0[34]$/,
  /^28/,
  /^3D000$/,
  /^3F000$/,
  /^42P01$/,
  /^42703$/,
  /^42883$/,
  /^42501$/,
  /^40001$/,
  /^40P01$/,
  /^53/,
  /^55P03$/,
  /^57/,
  /^58/,
];
const TRANSIENT_MESSAGE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|connection timeout|timeout exceeded when trying to connect|the database system is (starting up|shutting down)|Client has encountered a connection error|terminating connection|Connection ended|not queryable/i;

/**
 * A failure that says nothing about the message (database down, deadlock, broker unreachable):
 * retried with back-off, never dead-lettered, never skipped.
 */
export function isTransient(err: unknown): boolean {
  // Duck-typed on purpose: errors from another realm (worker, vm, jest sandbox) fail `instanceof Error`.
  if (typeof err !== 'object' || err === null) return false;
  // An error marked so by whoever knows it is systemic (e.g. every event of a batch failed alike).
  if ((err as { transient?: unknown }).transient === true) return true;
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
