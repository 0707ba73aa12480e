/** Job names of the alerts queue; each has exactly one handler (checked when the worker is built). */
export enum AlertJob {
  Deliver = 'deliver',
}

/** `alert.<deliveryId>` (hex): the same dispatch row always becomes the same job; no ':' (BullMQ). */
export const alertJobId = (deliveryId: string): string => `alert.${deliveryId}`;

/** Data of a delivery job: ids only. The secret, URL and decision are read from Postgres. */
export interface DeliverJobData {
  dealerId: string;
  deliveryId: string;
}
