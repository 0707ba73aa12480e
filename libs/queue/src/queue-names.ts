/** Every BullMQ queue of the pipeline, in one place. */
export enum QueueName {
  Followups = 'followups',
  Alerts = 'alerts',
}
