import type { Group } from './groups';

/**
 * A machine's make and model, written by snapshots and by deliveries (`warranty.registered`): each follows
 * the newest event, of either kind, that carries it.
 */
export const MACHINE_NAME_GROUPS: readonly Group[] = [
  { at: 'oem_name_at', id: 'oem_name_event_id', cols: ['oem_name'] },
  { at: 'model_at', id: 'model_event_id', cols: ['model'] },
];

/** The machine's branch: the newest delivery or transfer that names one (a transfer may not). */
export const MACHINE_BRANCH_GROUP: Group = { at: 'branch_at', id: 'branch_event_id', cols: ['branch_id'] };

/** The owner: the newest delivery or transfer. */
export const MACHINE_OWNER_GROUP: Group = { at: 'owner_since', id: 'owner_event_id', cols: ['customer_id'] };
