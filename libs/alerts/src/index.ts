// @rp/alerts — churn alerts: outbox decisions → matching webhook subscriptions → signed HTTP deliveries.
export {
  ALERT_TYPES,
  matchesSubscription,
  type AlertSubscription,
  type AlertType,
  type MatchableDecision,
} from './core/subscription';
export { alertSource, ALERT_SOURCE_KINDS, type AlertSource, type AlertSourceKind } from './core/alert-source';
export {
  escalationAlertPayload,
  parseAlertEscalation,
  type AlertEscalation,
  type EscalationAlertPayload,
} from './core/escalation-payload';
export { signBody, verifySignature, SIGNATURE_TOLERANCE_SEC } from './core/signature';
export { classifyStatus, type DeliveryOutcome } from './core/delivery-outcome';
export {
  alertPayload,
  deliveryIdFor,
  parseAlertDecision,
  type AlertDecision,
  type AlertPayload,
} from './core/payload';
export {
  parseSubscriptionInput,
  type RawSubscriptionInput,
  type SubscriptionInput,
} from './core/subscription-input';
export {
  assertWebhookUrl,
  hostMatches,
  nonPublicKind,
  webhookUrlProblem,
  WebhookUrlError,
} from './core/webhook-url';
export { AlertJob, alertJobId, type DeliverJobData } from './jobs/job-names';
export { postWebhook, type PostRequest, type PostResult, type Resolve } from './jobs/post-webhook';
export { fanOutDecisions, type FanOutResult } from './relay/fan-out';
export { enqueueDispatches, reclaimPending } from './relay/enqueue';
export {
  addSubscription,
  disableSubscription,
  listSubscriptions,
  newWebhookSecret,
  rotateSubscriptionSecret,
  SubscriptionAdminError,
  type SubscriptionListing,
} from './subscriptions';
export { AlertsRuntime, startAlerts, type AlertsRuntimeOptions } from './runtime/alerts-runtime';
export { DEFAULT_ALERT_SETTINGS, alertSettings, type AlertSettings } from './settings';
