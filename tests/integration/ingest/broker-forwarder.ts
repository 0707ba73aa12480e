import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A seed-broker address that can be switched on: nothing listens on it until `open()`, which forwards it to
 * the real broker (kafkajs then talks to the broker's advertised address). Lets a test make a client's
 * connection fail ("Kafka down") and then succeed ("Kafka back") without touching the shared broker.
 */
export interface BrokerForwarder {
  address: string;
  open: () => Promise<void>;
  close: () => Promise<void>;
}

export async function brokerForwarder(broker: string): Promise<BrokerForwarder> {
  const [host, port] = splitHostPort(broker);
  const port0 = await freePort();
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });
  return {
    address: `127.0.0.1:${port0}`,
    open: () =>
      new Promise<void>((resolve, reject) => {
        server = createServer((client) => {
          const upstream = connect(port, host);
          for (const s of [client, upstream]) {
            sockets.add(s);
            s.on('error', () => undefined);
            s.on('close', () => {
              sockets.delete(s);
              client.destroy();
              upstream.destroy();
            });
          }
          client.pipe(upstream);
          upstream.pipe(client);
        });
        server.once('error', reject);
        server.listen(port0, '127.0.0.1', () => resolve());
      }),
    close,
  };
}

function splitHostPort(broker: string): [string, number] {
  const i = broker.lastIndexOf(':');
  if (i < 0) throw new Error(`broker address without a port: ${broker}`);
  return [broker.slice(0, i), Number(broker.slice(i + 1))];
}

/** A port nothing listens on (taken from the OS, then released). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}
