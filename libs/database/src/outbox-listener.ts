import { Client } from 'pg';

type WarnLogger = { warn: (obj: object, msg: string) => void };

export interface OutboxListener {
  close: () => Promise<void>;
}

/**
 * LISTENs on `rp_outbox` (see the outbox-notify migration) on a connection of its own and calls `onRows`
 * when rows were committed to `schema`'s outbox. Reconnects after a lost connection; in between, the
 * relays' own polling carries on, so nothing depends on a notification arriving.
 */
export function listenOutbox(
  url: string,
  schema: string,
  onRows: () => void,
  logger: WarnLogger,
  retryMs = 2_000,
): OutboxListener {
  let client: Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const c = new Client({ connectionString: url, application_name: 'retention-outbox-listener' });
    client = c;
    c.on('notification', (n) => {
      if (n.payload === schema) onRows();
    });
    c.on('error', (err) => {
      logger.warn({ err: err.message }, 'outbox listener lost its connection; reconnecting');
      void c.end().catch(() => undefined);
      schedule();
    });
    try {
      await c.connect();
      await c.query('LISTEN rp_outbox');
      onRows(); // rows committed while not listening are picked up now
    } catch (err) {
      logger.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'outbox listener cannot connect',
      );
      void c.end().catch(() => undefined);
      schedule();
    }
  };
  const schedule = (): void => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, retryMs);
  };
  void connect();
  return {
    close: async () => {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
