import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { RequestHandler } from 'express';

type ServerAdapter = Parameters<typeof createBullBoard>[0]['serverAdapter'];

export interface QueueBoardOptions {
  /** Where the board is mounted, e.g. /admin/queues (its pages link to this path). */
  basePath: string;
  queues: Queue[];
  /** Hide every action that changes a queue or a job (retry, clean, pause, add, …). */
  readOnly: boolean;
}

/** Bull Board (pages, JSON API, static assets) as one Express handler; mount it behind the operator guard. */
export function createQueueBoard(o: QueueBoardOptions): RequestHandler {
  const serverAdapter = new ExpressAdapter().setBasePath(o.basePath);
  createBullBoard({
    queues: o.queues.map((q) => new BullMQAdapter(q, { readOnlyMode: o.readOnly })),
    // @bull-board/express 9.10.1 declares its own copy of @bull-board/api's types (9.10.2 here): same
    // shape, distinct private fields, so the compiler needs telling. The runtime contract is the same.
    serverAdapter: serverAdapter as unknown as ServerAdapter,
    options: { uiConfig: { boardTitle: 'Retention queues' } },
  });
  return serverAdapter.getRouter() as RequestHandler;
}
