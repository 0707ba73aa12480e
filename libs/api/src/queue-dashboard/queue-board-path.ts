/** Where the queue dashboard is served (api role). */
export const QUEUE_BOARD_PATH = '/admin/queues';
