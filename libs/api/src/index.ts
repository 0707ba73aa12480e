// @rp/api — REST API and web inbox of the `api` role: bearer tokens, task queue, outcomes to Kafka.
export { ApiModule } from './api.module';
export { createApiToken, resolvePrincipal, subjectSql, type NewTokenInput } from './auth/token-store';
export { dealerIdProblem, idProblem, parseExpiresIn, tokenInputProblem } from './auth/token-input';
export {
  API_ROLES,
  generateToken,
  parseToken,
  type ApiRole,
  type Caller,
  type DealerRole,
  type Operator,
  type Principal,
} from './auth/token';
export { QueueDashboardModule } from './queue-dashboard/queue-dashboard.module';
export { QUEUE_BOARD_PATH } from './queue-dashboard/queue-board-path';
export { OPERATOR_COOKIE, readCookie, crossSiteProblem } from './queue-dashboard/operator-session';
export { publishOutcomes } from './outcomes/publish-outcomes';
export { OUTCOMES, type Outcome } from './http/schemas';
export { openApiDocument } from './openapi/openapi';
export { API_PREFIX } from './http/api-exception.filter';
export { API_RESPONSE_HEADERS, apiResponseHeaders } from './http/security-headers';
