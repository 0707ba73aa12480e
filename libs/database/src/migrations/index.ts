import { Foundation1795300000000 } from './1795300000000-foundation';
import { Projections1795300100000 } from './1795300100000-projections';
import { Risk1795300200000 } from './1795300200000-risk';
import { Followups1795300300000 } from './1795300300000-followups';
import { Api1795300400000 } from './1795300400000-api';
import { Alerts1795300500000 } from './1795300500000-alerts';
import { Replay1795300700000 } from './1795300700000-replay';
import { IngestThroughput1795300800000 } from './1795300800000-ingest-throughput';
import { OperatorTokens1795300900000 } from './1795300900000-operator-tokens';
import { OutboxNotify1795301000000 } from './1795301000000-outbox-notify';
import { EscalationAlerts1795301150000 } from './1795301150000-escalation-alerts';
import { EventTimeStamps1795301200000 } from './1795301200000-event-time-stamps';
import { WebhookSubscriptionUrl1795301400000 } from './1795301400000-webhook-subscription-url';
import { WarrantyLocationStamps1795301500000 } from './1795301500000-warranty-location-stamps';
import { SuppressionOutbox1795301700000 } from './1795301700000-suppression-outbox';
import { OutboxPublishLease1795301800000 } from './1795301800000-outbox-publish-lease';
import { HoldoutCustomers1795301850000 } from './1795301850000-holdout-customers';
import { TaskWarrantyUrgency1795301860000 } from './1795301860000-task-warranty-urgency';
import { DecisionPAlive1795301880000 } from './1795301880000-decision-p-alive';
import { HoldoutContacts1795301890000 } from './1795301890000-holdout-contacts';
import { TokenExpiry1795301900000 } from './1795301900000-token-expiry';

/** Every migration, oldest first. Never edit one that has been committed: add a new one. */
export const MIGRATIONS = [
  Foundation1795300000000,
  Projections1795300100000,
  Risk1795300200000,
  Followups1795300300000,
  Api1795300400000,
  Alerts1795300500000,
  Replay1795300700000,
  IngestThroughput1795300800000,
  OperatorTokens1795300900000,
  OutboxNotify1795301000000,
  EscalationAlerts1795301150000,
  EventTimeStamps1795301200000,
  WebhookSubscriptionUrl1795301400000,
  WarrantyLocationStamps1795301500000,
  SuppressionOutbox1795301700000,
  OutboxPublishLease1795301800000,
  HoldoutCustomers1795301850000,
  TaskWarrantyUrgency1795301860000,
  DecisionPAlive1795301880000,
  HoldoutContacts1795301890000,
  TokenExpiry1795301900000,
];
