// @rp/api — REST API and web inbox of the `api` role: bearer tokens, task queue, outcomes to Kafka.
export { ApiModule } from './api.module';
export { createApiToken, resolveCaller, tokenInputProblem, type NewTokenInput } from './auth/token-store';
export { generateToken, parseToken, type ApiRole, type Caller } from './auth/token';
export { publishOutcomes } from './outcomes/publish-outcomes';
export { OUTCOMES, type Outcome } from './http/schemas';
export { openApiDocument } from './openapi/openapi';
